"""Django project of the customers service: settings, URLs, WSGI and ASGI entry points."""

from __future__ import annotations
