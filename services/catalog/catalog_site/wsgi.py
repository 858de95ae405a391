"""WSGI entry point of the catalog service (gunicorn catalog_site.wsgi)."""

from __future__ import annotations

from servicekit.wsgi import service_application

application = service_application("catalog_site.settings")
