"""WSGI entry point of the customers service (gunicorn customers_site.wsgi)."""

from __future__ import annotations

from servicekit.wsgi import service_application

application = service_application("customers_site.settings")
