"""URLs every service mounts at its root: probes and schemas.

``path("", include("servicekit.urls"))`` in a service's ``urls.py`` adds
``/healthz``, ``/readyz``, ``/openapi.json`` and ``/schema/derived.json``.
"""

from __future__ import annotations

from django.urls import path

from servicekit import health, spec_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("openapi.json", spec_views.source_spec, name="openapi"),
    path("schema/derived.json", spec_views.derived_schema, name="schema-derived"),
]
