"""The WSGI application of a service: Django, with chunked request bodies framed.

A ``Transfer-Encoding: chunked`` request reaches a WSGI application without a
``CONTENT_LENGTH`` (gunicorn decodes the chunks in ``wsgi.input``), and
Django reads a body of length 0: the handler saw no body and answered "A
request body is required". :class:`ChunkedBodies` reads such a body whole,
up to the shared body limit (:data:`codegen.core.limits.DEFAULT_LIMITS`, the
gateway's too), and hands Django the bytes with their ``CONTENT_LENGTH``,
as nginx does in front of a server; a larger body answers 413 problem+json
before Django runs.

Example (``<name>_site/wsgi.py``)::

    application = service_application("catalog_site.settings")
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

from codegen.core.limits import DEFAULT_LIMITS
from servicekit.problems import PROBLEM_CONTENT_TYPE, problem_body
from servicekit.requestlog import REQUEST_ID_HEADER, REQUEST_ID_META, accept_request_id

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_READ = 64 * 1024


def is_chunked(environ: dict[str, Any]) -> bool:
    codings = str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    return "chunked" in codings and not environ.get("CONTENT_LENGTH")


class ChunkedBodies:
    """WSGI middleware: a chunked body becomes a sized one (see the module docstring)."""

    def __init__(self, app: WSGIApp, limit: int = DEFAULT_LIMITS.body_limit) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if is_chunked(environ):
            body = self._read(environ["wsgi.input"])
            if body is None:
                return self._too_large(environ, start_response)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input"] = io.BytesIO(body)
            del environ["HTTP_TRANSFER_ENCODING"]
        return self.app(environ, start_response)

    def _read(self, stream: Any) -> bytes | None:
        """The whole body, or ``None`` past the limit (the rest is not read)."""
        chunks: list[bytes] = []
        size = 0
        while chunk := stream.read(_READ):
            size += len(chunk)
            if size > self.limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        detail = f"The request body exceeds the limit of {self.limit} bytes."
        # Django's middleware has not run: the request id is taken here, by the same rule.
        request_id = accept_request_id(environ.get(REQUEST_ID_META))
        body = problem_body(
            413, detail, instance=environ.get("PATH_INFO"), request_id=request_id,
            code="body_too_large",
        )  # fmt: skip
        data = json.dumps(body).encode()
        start_response(
            "413 Content Too Large",
            [("Content-Type", PROBLEM_CONTENT_TYPE), ("Content-Length", str(len(data))),
             ("Connection", "close"), (REQUEST_ID_HEADER, request_id)],
        )  # fmt: skip
        return [data]


def service_application(settings_module: str) -> WSGIApp:
    """The service's WSGI callable: Django behind :class:`ChunkedBodies`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    return ChunkedBodies(get_wsgi_application())
