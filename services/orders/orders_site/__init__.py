"""Django project of the orders service: settings, URLs, WSGI and ASGI entry points."""

from __future__ import annotations
