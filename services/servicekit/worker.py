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

gunicorn has no header-read timeout: a client that sends a head byte by byte
holds a worker thread for as long as it likes (slowloris). :class:`HeadWatch`,
one thread per worker process, gives every request head the time nginx's
``client_header_timeout`` does (:data:`codegen.core.limits.DEFAULT_LIMITS`,
``SPECFIRST_HEADER_TIMEOUT`` seconds when set), from the moment a thread takes
the connection until gunicorn hands the parsed request to the app; a head
still unfinished then is answered 408 ``header_timeout`` (problem+json) and
the connection shut down, which ends the thread's read.

``servicekit.serve`` runs gunicorn with ``--worker-class
servicekit.worker.ProblemThreadWorker`` and the limits of
:mod:`codegen.core.limits`.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from codegen.core.limits import DEFAULT_LIMITS
from servicekit.problems import PROBLEM_CONTENT_TYPE, problem_body
from servicekit.requestlog import REQUEST_ID_HEADER, accept_request_id

# gunicorn's statuses → the codes the gateway uses for the same refusal (gateway/limits.py)
CODES = {
    400: "malformed_request",
    408: "header_timeout",
    414: "uri_too_long",
    431: "header_too_large",
}
WATCH_INTERVAL = 0.25  # seconds between the head watch's looks: the 408 comes this late at most
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


def header_timeout() -> float:
    """Seconds a request head may take: ``SPECFIRST_HEADER_TIMEOUT``, else the edge default."""
    return float(os.environ.get("SPECFIRST_HEADER_TIMEOUT") or DEFAULT_LIMITS.header_timeout)


class HeadWatch:
    """Deadlines of the request heads being read, and the thread that enforces them."""

    def __init__(self, timeout: float, clock: Any = time.monotonic) -> None:
        self.timeout = timeout
        self.clock = clock
        self._heads: dict[int, tuple[float, socket.socket]] = {}
        self._numbers = itertools.count()
        self._lock = threading.Lock()

    def start(self) -> None:
        threading.Thread(target=self._run, name="head-watch", daemon=True).start()

    def reading(self, sock: socket.socket) -> int:
        """A head starts arriving on ``sock``; returns its ticket for :meth:`done`."""
        ticket = next(self._numbers)
        with self._lock:
            self._heads[ticket] = (self.clock() + self.timeout, sock)
        return ticket

    def done(self, ticket: int) -> None:
        with self._lock:
            self._heads.pop(ticket, None)

    def expire(self) -> int:
        """Refuse every head past its deadline; how many were."""
        now = self.clock()
        with self._lock:
            late = [t for t, (deadline, _) in self._heads.items() if deadline <= now]
            socks = [self._heads.pop(t)[1] for t in late]
        for sock in socks:
            detail = f"the request head did not arrive within {self.timeout:g}s"
            with contextlib.suppress(OSError):
                write_problem(sock, 408, "Request Timeout", detail)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # the reading thread sees the end
        return len(socks)

    def _run(self) -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            self.expire()


_reading = threading.local()


class ProblemThreadWorker(ThreadWorker):
    """``gthread`` with problem+json error pages and a header-read timeout
    (see the module docstring)."""

    def init_process(self) -> None:
        util.write_error = write_problem
        self.head_watch = HeadWatch(header_timeout())
        self.head_watch.start()
        super().init_process()

    def handle(self, conn: Any) -> Any:
        _reading.ticket = self.head_watch.reading(conn.sock)
        try:
            return super().handle(conn)
        finally:
            self.head_watch.done(_reading.ticket)

    def handle_request(self, req: Any, conn: Any) -> Any:
        self.head_watch.done(_reading.ticket)  # the head has arrived: the app's time now
        return super().handle_request(req, conn)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        # gunicorn's own refusals of a head carry the half-read request as exc.req
        _refused.current = refused_request(req if req is not None else getattr(exc, "req", None))
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            _refused.current = None
