"""Django project of the catalog service: settings, URLs, WSGI and ASGI entry points."""

from __future__ import annotations
