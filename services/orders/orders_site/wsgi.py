"""WSGI entry point of the orders service (gunicorn orders_site.wsgi)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orders_site.settings")

application = get_wsgi_application()
