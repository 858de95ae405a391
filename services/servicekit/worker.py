"""gunicorn's threaded worker, answering its own errors as problem+json.

gunicorn answers what it refuses before Django runs (a request line past
``limit_request_line`` → 414, too many or too large headers → 431, a
malformed request → 400) with an HTML page. It has no hook for that page:
every one is written by ``gunicorn.util.write_error(sock, status, reason,
message)``, called from the worker's ``handle_error`` after it has chosen the
status and logged the request. :class:`ProblemThreadWorker` replaces that one
function in its own process with :func:`write_problem`, so the status and the
logging stay gunicorn's and the body becomes an RFC 9457 problem with the
``code`` of the gateway's answer to the same refusal.

``servicekit.serve`` runs gunicorn with ``--worker-class
servicekit.worker.ProblemThreadWorker`` and the limits of
:mod:`codegen.core.limits`.
"""

from __future__ import annotations

import json
import socket

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from servicekit.problems import PROBLEM_CONTENT_TYPE, problem_body

# gunicorn's statuses → the codes the gateway uses for the same refusal (gateway/limits.py)
CODES = {400: "malformed_request", 414: "uri_too_long", 431: "header_too_large"}


def write_problem(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """gunicorn's ``write_error``, with a problem+json body."""
    detail = message or "The server failed to handle the request."
    body = json.dumps(problem_body(status, detail, title=reason, code=CODES.get(status))).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: {PROBLEM_CONTENT_TYPE}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class ProblemThreadWorker(ThreadWorker):
    """``gthread`` with problem+json error pages (see the module docstring)."""

    def init_process(self) -> None:
        util.write_error = write_problem
        super().init_process()
