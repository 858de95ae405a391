"""gunicorn's threaded worker, answering its own errors as problem+json.

gunicorn answers what it refuses before Django runs (a request line past
``limit_request_line`` → 414, too many or too large headers → 431, a
malformed request → 400) with an HTML page. It has no hook for that page:
every one is written by ``gunicorn.util.write_error(sock, status, reason,
message)``, called from the worker's ``handle_error`` after it has chosen the
status and logged the request. :class:`ProblemThreadWorker` replaces that one
function in its own process with :func:`write_problem`, so the status and the
logging stay gunicorn's and the body becomes an RFC 9457 problem with the
``code`` (and so the title) of the gateway's answer to the same refusal.

Like every other problem, it carries a ``request_id``, sent as ``X-Request-ID``
too, and an ``instance``: the caller's ``X-Request-ID`` and path when gunicorn
had read the request head (an invalid chunked body, an error past Django),
else a new id and ``/`` (a head gunicorn could not read has no trustworthy
header or path). ``handle_error`` notes them in a thread-local for
:func:`write_problem`: gthread handles one connection per thread at a time.

``servicekit.serve`` runs gunicorn with ``--worker-class
servicekit.worker.ProblemThreadWorker`` and the limits of
:mod:`codegen.core.limits`.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from servicekit.problems import PROBLEM_CONTENT_TYPE, problem_body
from servicekit.requestlog import REQUEST_ID_HEADER, accept_request_id

# gunicorn's statuses → the codes the gateway uses for the same refusal (gateway/limits.py)
CODES = {400: "malformed_request", 414: "uri_too_long", 431: "header_too_large"}
_INSTANCE_LIMIT = 2048


@dataclass(frozen=True, slots=True)
class Refused:
    """What is known of the request gunicorn refuses: its id and path."""

    request_id: str
    instance: str


_refused = threading.local()


def refused_request(req: Any) -> Refused:
    """The id and path of gunicorn's request object ``req`` (``None``: none was read)."""
    if req is None:
        return Refused(accept_request_id(None), "/")
    wanted = REQUEST_ID_HEADER.upper()
    given = next((v for n, v in getattr(req, "headers", ()) if n.upper() == wanted), None)
    path = str(getattr(req, "path", "") or "/")[:_INSTANCE_LIMIT]
    return Refused(accept_request_id(given), path if path.startswith("/") else "/")


def write_problem(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """gunicorn's ``write_error``, with a problem+json body."""
    refused: Refused = getattr(_refused, "current", None) or refused_request(None)
    detail = message or "The server failed to handle the request."
    document = problem_body(
        status,
        detail,
        code=CODES.get(status),
        instance=refused.instance,
        request_id=refused.request_id,
    )
    body = json.dumps(document).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: {PROBLEM_CONTENT_TYPE}\r\nContent-Length: {len(body)}\r\n"
        f"{REQUEST_ID_HEADER}: {refused.request_id}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class ProblemThreadWorker(ThreadWorker):
    """``gthread`` with problem+json error pages (see the module docstring)."""

    def init_process(self) -> None:
        util.write_error = write_problem
        super().init_process()

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        # gunicorn's own refusals of a head carry the half-read request as exc.req
        _refused.current = refused_request(req if req is not None else getattr(exc, "req", None))
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            _refused.current = None
