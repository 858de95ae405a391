"""Liveness and readiness probes: ``/healthz`` and ``/readyz``.

``/healthz`` answers as long as the process serves requests. ``/readyz``
also runs ``SELECT 1`` on the default database and answers a 503 problem
when it fails, so an orchestrator (or ``specfirst up``) waits for it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from servicekit.problems import ProblemResponse

logger = logging.getLogger("servicekit.health")

View = Callable[[HttpRequest], HttpResponse]


def require_safe(view: View) -> View:
    """Allow GET and HEAD only; anything else is a 405 problem with ``Allow``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return ProblemResponse(
                405, f"{request.method} is not allowed here.", headers={"Allow": "GET, HEAD"}
            )
        return view(request)

    return wrapper


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """``{"status": "ok"}``."""
    return JsonResponse({"status": "ok"})


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """``{"status": "ready", "database": "ok"}``, or 503 when the database is unreachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("readiness check failed: %s", exc)
        return ProblemResponse(
            503,
            f"The database is not reachable: {exc}",
            code="not_ready",
            headers={"Retry-After": "1"},
        )
    return JsonResponse({"status": "ready", "database": "ok"})
