"""WSGI entry point of the orders service (gunicorn orders_site.wsgi)."""

from __future__ import annotations

from servicekit.wsgi import service_application

application = service_application("orders_site.settings")
