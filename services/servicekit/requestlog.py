"""Request ids, the request in context, and one JSON log line per request.

:class:`RequestIdMiddleware` (first in every service's middleware) takes
``X-Request-ID`` from the request when it is well formed (1-128 characters of
``[A-Za-z0-9._~:+=/-]``, the gateway's rule) or makes a random one, keeps it and
the request path in context variables for the duration of the request (problem
documents take their ``request_id`` and ``instance`` from there), echoes it on the
response and, when ``SPECFIRST_REQUEST_LOG`` is on (production), logs one
``request`` record (method, path, status, duration). :class:`RequestIdFilter`
copies the current id onto every log record and :class:`JsonFormatter` writes
records as JSON, so every line a request causes carries its id.

Example log line::

    {"time": "2026-11-28T01:02:03.456Z", "level": "INFO", "logger": "servicekit.request",
     "message": "GET /categories/1 200", "request_id": "abc-123", "method": "GET",
     "path": "/categories/1", "status": 200, "duration_ms": 3.1}
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.encoding import escape_uri_path

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_META = "HTTP_X_REQUEST_ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._~:+=/-]{1,128}")
_current: ContextVar[str | None] = ContextVar("specfirst_request_id", default=None)
_path: ContextVar[str | None] = ContextVar("specfirst_request_path", default=None)
_EXTRA_FIELDS = ("method", "path", "status", "duration_ms")

log = logging.getLogger("servicekit.request")


def current_request_id() -> str | None:
    """The id of the request being handled in this context, if any."""
    return _current.get()


def current_request_path() -> str | None:
    """The (percent-encoded) path of the request being handled, if any."""
    return _path.get()


def accept_request_id(value: str | None) -> str:
    """``"abc-123"`` → ``"abc-123"``; missing or malformed → 32 random hex digits."""
    if value and _VALID_ID.fullmatch(value):
        return value
    return os.urandom(16).hex()


class RequestIdMiddleware:
    """Django middleware: request id in, request id out, the request in context,
    one log line per request when ``SPECFIRST_REQUEST_LOG`` is on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.log_requests = bool(getattr(settings, "SPECFIRST_REQUEST_LOG", False))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # META, not request.headers: that is cached on first use, and middleware after
        # this one may still change META.
        request_id = accept_request_id(request.META.get(REQUEST_ID_META))
        token = _current.set(request_id)
        path_token = _path.set(escape_uri_path(request.path))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            if not self.log_requests:
                return response
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return response
        finally:
            _current.reset(token)
            _path.reset(path_token)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``None`` outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for field in _EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
