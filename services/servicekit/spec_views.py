"""The two schemas a service publishes.

* ``/openapi.json``: the source spec (the contract), as JSON.
* ``/schema/derived.json``: the schema drf-spectacular derives from the code;
  ``specfirst drift`` compares the two.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularJSONAPIView

from servicekit.health import require_safe
from servicekit.spec import service_spec


@require_safe
def source_spec(request: HttpRequest) -> HttpResponse:
    """The service's spec file, served as ``application/json``."""
    return HttpResponse(service_spec().json_bytes, content_type="application/json")


derived_schema = SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[])
