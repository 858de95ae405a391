"""Root URLs of the orders service: probes and schemas, then the API operations.

Every error, including an unknown path, is an application/problem+json document.
"""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("servicekit.urls")),
    path("", include("orders.api.urls")),
]

handler400 = "servicekit.problems.bad_request"
handler403 = "servicekit.problems.permission_denied"
handler404 = "servicekit.problems.not_found"
handler500 = "servicekit.problems.server_error"
