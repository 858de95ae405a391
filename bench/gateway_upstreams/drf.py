"""The DRF upstream of the gateway benchmark: one APIView returning fixed JSON.

A whole Django project in one module (settings configured here), served by
gunicorn as ``drf:application``.
"""

from __future__ import annotations

from typing import Any

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
    MIDDLEWARE=[],
    DATABASES={},
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": [],
        "UNAUTHENTICATED_USER": None,
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    },
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after settings)
from django.urls import path  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

ITEM = {"id": 1, "name": "widget", "price": {"amount": 1299, "currency": "EUR"}, "tags": ["a", "b"]}


class ItemView(APIView):
    def get(self, request: Any, item_id: int) -> Response:
        return Response(ITEM)


urlpatterns = [
    path("drf/items/<int:item_id>", ItemView.as_view()),
    path("drft/items/<int:item_id>", ItemView.as_view()),
]
application = get_wsgi_application()
