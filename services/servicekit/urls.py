"""URLs every service mounts at its root: probes and schemas.

``path("", include("servicekit.urls"))`` in a service's ``urls.py`` adds
``/healthz``, ``/readyz``, ``/openapi.json``, ``/schema/derived.json`` and the
problem catalogue ``/_specfirst/problems``.
"""

from __future__ import annotations

from django.urls import path

from codegen.core.problems.page import PAGE_PATH
from servicekit import health, spec_views

PROBLEM_PAGE = path(PAGE_PATH.removeprefix("/"), spec_views.problem_types, name="problem-types")
"""The catalogue page every problem ``type`` points into; ``specfirst serve`` mounts it too."""

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("openapi.json", spec_views.source_spec, name="openapi"),
    path("schema/derived.json", spec_views.derived_schema, name="schema-derived"),
    PROBLEM_PAGE,
]
