"""URLs of the test session: every service's operations plus the probes."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("servicekit.urls")),
    path("", include("catalog.api.urls")),
    path("", include("customers.api.urls")),
    path("", include("orders.api.urls")),
]

handler400 = "servicekit.problems.bad_request"
handler403 = "servicekit.problems.permission_denied"
handler404 = "servicekit.problems.not_found"
handler500 = "servicekit.problems.server_error"
