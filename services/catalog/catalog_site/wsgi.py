"""WSGI entry point of the catalog service (gunicorn catalog_site.wsgi)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog_site.settings")

application = get_wsgi_application()
