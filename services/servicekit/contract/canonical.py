"""Route every service on the raw path's segments, as the gateway does.

The gateway splits the raw path on its literal ``/``, decodes each segment
and forwards the raw path unchanged (:mod:`codegen.core.routing.canonical`).
Django only sees the decoded ``PATH_INFO``, where ``/items/x%2Freviews`` has
become ``/items/x/reviews``: routed on that, ``x/reviews`` would reach
``/items/{id}/reviews`` here and ``/items/{id}`` at the gateway. So this
middleware reads the raw path the server received (gunicorn's ``RAW_URI`` or
``REQUEST_URI``, an ASGI server's ``raw_path``), refuses with the gateway's
400 problem what the gateway refuses (dot and empty segments, bytes that are
not UTF-8...), and keeps the decoded segments for the request's URL
resolution (:func:`segments_for`, read by ``servicekit.contract.urls``), so
``x/reviews`` is one parameter value here too. Where the server kept no raw
path (Django's test client) the decoded path is all there is.

Example: ``GET /items/x%2Freviews`` -> ``/items/{id}`` with ``id = "x/reviews"``;
``GET /items/%2E%2E`` -> 400 problem, ``code: non_canonical_path``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from codegen.core.routing.canonical import NonCanonical, split_decoded, split_raw
from servicekit import problems

# The decoded segments of the raw path of the request being handled (set by
# CanonicalPathMiddleware around the rest of the handler chain, URL
# resolution included: Django resolves the URL inside that call).
_SEGMENTS: ContextVar[list[str] | None] = ContextVar("specfirst_raw_segments", default=None)


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


def request_segments(request: HttpRequest) -> list[str] | NonCanonical:
    """The decoded segments the request is routed on, or why it is refused."""
    raw = raw_path(request)
    return split_raw(raw) if raw is not None else split_decoded(request.path)


def segments_for(path: str) -> list[str] | NonCanonical:
    """The segments of ``path``, the part of the current request's path that
    a URL resolver is resolving (its ``include()`` prefixes removed, no
    leading ``/``).

    ``"items/x/reviews"`` during ``GET /items/x%2Freviews`` ->
    ``["items", "x/reviews"]``; outside such a request, or when ``path`` is
    not a tail of whole segments of it, ``path`` split on ``/``.
    """
    segments = _SEGMENTS.get()
    if segments is not None:
        consumed = sum(len(segment) + 1 for segment in segments) - 1 - len(path)
        offset = 0
        for index, segment in enumerate(segments):
            if offset == consumed:
                tail = segments[index:]
                if "/".join(tail) == path:
                    return tail
                break
            offset += len(segment) + 1
    return split_decoded("/" + path)


class CanonicalPathMiddleware:
    """400 problem+json for non-canonical paths, before any URL resolution;
    the raw path's segments for the resolution of the others."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = request_segments(request)
        if isinstance(found, NonCanonical):
            return problems.ProblemResponse(400, found.reason, code="non_canonical_path")
        token = _SEGMENTS.set(found)
        try:
            return self.get_response(request)
        finally:
            _SEGMENTS.reset(token)
