"""The documents a service publishes about itself.

* ``/openapi.json``: the source spec (the contract), as JSON.
* ``/schema/derived.json``: the schema drf-spectacular derives from the code;
  ``specfirst drift`` compares the two.
* ``/_specfirst/problems``: the problem catalogue every problem's ``type``
  points into (:mod:`codegen.core.problems.page`), so a ``type`` resolves
  against the service that answered as it does against the gateway.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularJSONAPIView

from codegen.core.problems.page import catalog_html, catalog_json, wants_json
from servicekit.health import require_safe
from servicekit.spec import service_spec


@require_safe
def source_spec(request: HttpRequest) -> HttpResponse:
    """The service's spec file, served as ``application/json``."""
    return HttpResponse(service_spec().json_bytes, content_type="application/json")


@require_safe
def problem_types(request: HttpRequest) -> HttpResponse:
    """The problem catalogue: HTML, or JSON when ``Accept`` asks for it."""
    if wants_json(request.headers.get("Accept", "")):
        return HttpResponse(catalog_json(), content_type="application/json")
    return HttpResponse(catalog_html(), content_type="text/html; charset=utf-8")


derived_schema = SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[])
