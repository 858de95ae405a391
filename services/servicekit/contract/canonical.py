"""Refuse, in every service, the request paths the gateway refuses.

The gateway routes a request on its raw path and refuses with 400 the paths a
downstream router would read differently (an encoded ``/``, dot segments,
empty segments, non-UTF-8 bytes: :mod:`codegen.core.routing.canonical`). A
service reached directly (or through nginx) must refuse the same paths, or
``/items/x%2Freviews`` would be ``/items/{id}`` at the gateway and
``/items/{id}/reviews`` here. Django only sees the decoded ``PATH_INFO``, so
this middleware reads the raw path the server received: gunicorn's
``RAW_URI`` (or ``REQUEST_URI``), an ASGI server's ``raw_path``; where neither
exists (Django's test client) it checks the decoded path.

Example: ``GET /items/x%2Freviews`` -> 400 problem, ``code: non_canonical_path``,
``detail: "the segment 'x%2Freviews' contains an encoded '/' (%2F)"``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from codegen.core.routing.canonical import NonCanonical, split_decoded, split_raw
from servicekit import problems


def raw_path(request: HttpRequest) -> str | None:
    """The path as the client sent it (still percent-encoded), if the server kept it."""
    scope = getattr(request, "scope", None)
    raw = scope.get("raw_path") if isinstance(scope, dict) else None
    if isinstance(raw, bytes):
        return raw.decode("latin-1").split("?", 1)[0]
    target = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if not isinstance(target, str) or not target:
        return None
    path = target.split("?", 1)[0]
    return path if path.startswith("/") else urlsplit(target).path or "/"


def refusal(request: HttpRequest) -> NonCanonical | None:
    raw = raw_path(request)
    found = split_raw(raw) if raw is not None else split_decoded(request.path)
    return found if isinstance(found, NonCanonical) else None


class CanonicalPathMiddleware:
    """400 problem+json for non-canonical paths, before any URL resolution."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = refusal(request)
        if found is not None:
            return problems.ProblemResponse(400, found.reason, code="non_canonical_path")
        return self.get_response(request)
