"""Request ids and one JSON log line per request, for production.

:class:`RequestIdMiddleware` takes ``X-Request-ID`` from the request when it
is well formed (1-128 characters of ``[A-Za-z0-9._~:+=/-]``, the gateway's
rule) or makes a random one, keeps it in a context variable for the duration
of the request, echoes it on the response, and logs one ``request`` record
(method, path, status, duration). :class:`RequestIdFilter` copies the current
id onto every log record and :class:`JsonFormatter` writes records as JSON,
so every line a request causes carries its id.

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

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._~:+=/-]{1,128}")
_current: ContextVar[str | None] = ContextVar("specfirst_request_id", default=None)
_EXTRA_FIELDS = ("method", "path", "status", "duration_ms")

log = logging.getLogger("servicekit.request")


def current_request_id() -> str | None:
    """The id of the request being handled in this context, if any."""
    return _current.get()


def accept_request_id(value: str | None) -> str:
    """``"abc-123"`` → ``"abc-123"``; missing or malformed → 32 random hex digits."""
    if value and _VALID_ID.fullmatch(value):
        return value
    return os.urandom(16).hex()


class RequestIdMiddleware:
    """Django middleware: request id in, request id out, one log line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accept_request_id(request.headers.get(REQUEST_ID_HEADER))
        token = _current.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
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
