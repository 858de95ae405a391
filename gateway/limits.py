"""The gateway's connection limits, enforced in the HTTP protocol itself.

uvicorn's httptools protocol buffers a request head of any size for as long
as the client likes: twenty connections each sending 16 MiB of an unfinished
header grew a worker by 200 MB, an incomplete header line was held for
minutes, and 3,000 connections that sent nothing stayed open. No setting of
uvicorn bounds that (``h11_max_incomplete_event_size`` is h11's; uvicorn's
keep-alive timer only starts after a first response), so
:class:`LimitedHttpToolsProtocol` enforces the limits of
:class:`codegen.core.limits.EdgeLimits` where the bytes arrive, before any
request reaches the app (a service never sees a refused request):

* a request target longer than the request-line limit → 414;
* one header line past ``header_line``, more than ``header_count`` lines, or
  a head (request line and headers) past ``request_line + header_bytes``
  bytes → 431; the head is counted before it is parsed, so a connection
  never holds more than that;
* a head not complete ``header_timeout`` seconds after its first byte (or
  after the connection opened) → 408;
* more than ``max_connections`` open connections in this worker → 503 with
  ``Retry-After``, at once, on the new connection;
* a malformed request → 400 (uvicorn's own answer is ``text/plain``).

Each is an RFC 9457 problem (:func:`gateway.problems.problem_body`) with
``Connection: close``. Idle keep-alive connections close after
``keepalive_timeout`` (uvicorn's ``timeout_keep_alive``, set by
:class:`LimitedConfig`); body timing is :mod:`gateway.body`'s.

Example: ``GET /`` + ``X-A: `` + 9,000 bytes → ``431`` with
``{"code": "header_too_large", ...}``, and the connection closed.
"""

from __future__ import annotations

import asyncio
import math
from http import HTTPStatus
from typing import Any

import httptools
import uvicorn

from codegen.core.limits import DEFAULT_LIMITS, EdgeLimits
from gateway.problems import PROBLEM_TYPE, problem_body
from gateway.protocol import GatewayHttpToolsProtocol

_INSTANCE_LIMIT = 256  # a refused request's target goes into the problem up to this size
_REQUEST_LINE_FRAME = len(b"  HTTP/1.1")  # the spaces and version around method and target


class LimitedConfig(uvicorn.Config):
    """uvicorn's configuration, carrying the limits to each worker's protocols."""

    def __init__(self, app: str, *, limits: EdgeLimits = DEFAULT_LIMITS, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.http = LimitedHttpToolsProtocol
        self.timeout_keep_alive = math.ceil(limits.keepalive_timeout)  # uvicorn takes whole s
        self.limits = limits


class HeadRefused(Exception):
    """A request head broke a limit; raised inside a parser callback."""

    def __init__(self, status: int, detail: str, code: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code


def refusal_bytes(
    status: int, detail: str, code: str, instance: str, extra: tuple[bytes, ...] = ()
) -> bytes:
    """A whole HTTP/1.1 problem response that closes the connection."""
    body = problem_body(status, detail, instance, code)
    head = [
        b"HTTP/1.1 %d %s\r\n" % (status, HTTPStatus(status).phrase.encode()),
        b"content-type: " + PROBLEM_TYPE + b"\r\n",
        b"content-length: %d\r\n" % len(body),
        b"connection: close\r\n",
        *extra,
        b"\r\n",
    ]
    return b"".join(head) + body


class LimitedHttpToolsProtocol(GatewayHttpToolsProtocol):
    """uvicorn's httptools protocol with the limits of the module docstring."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        limits = config.limits if isinstance(config, LimitedConfig) else DEFAULT_LIMITS
        self.limits = limits
        self._head_budget = limits.request_line + limits.header_bytes
        self._head_left: int | None = self._head_budget  # None: not reading a head
        self._header_lines = 0
        self._line_done = False  # the request line of the current head has ended
        self._header_timer: asyncio.TimerHandle | None = None
        self.url = b""

    # -- connection ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            limit = self.limits.max_connections
            detail = f"this gateway worker already holds {limit} connections; retry shortly"
            self._refuse(503, detail, "too_many_connections", (b"retry-after: 1\r\n",))
            return
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        left = self._head_left
        if left is not None:
            self._line_done = self._line_done or b"\n" in data[:left]
            if len(data) > left:  # the head may end within budget; the rest is body
                self._feed(data[:left])
                if self._head_left is not None:
                    self._refuse_large_head()
                    return
                data = data[left:]
            else:
                self._head_left = left - len(data)
        self._feed(data)
        # A head that did not arrive whole in this read gets its timer now (one
        # that did, the common case, costs no timer; docs/gateway.md).
        left = self._head_left
        if (
            left is not None
            and left < self._head_budget
            and self._header_timer is None
            and not self.transport.is_closing()
        ):
            self._arm_header_timer()

    def _feed(self, data: bytes) -> None:
        if self.transport.is_closing():
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            refused = exc.__context__
            if isinstance(refused, HeadRefused):
                self._refuse(refused.status, refused.detail, refused.code)
            else:
                raise
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError as exc:
            self.logger.warning("Invalid HTTP request received: %s", exc)
            self._refuse(400, f"the request is not valid HTTP/1.1: {exc}", "malformed_request")

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, msg, "malformed_request")

    # -- parser callbacks ----------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_lines = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        method = self.parser.get_method()
        if len(method) + len(self.url) + _REQUEST_LINE_FRAME > self.limits.request_line:
            detail = f"the request line is longer than {self.limits.request_line} bytes"
            raise HeadRefused(414, detail, "uri_too_long")

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_lines += 1
        if self._header_lines > self.limits.header_count:
            detail = f"the request has more than {self.limits.header_count} header lines"
            raise HeadRefused(431, detail, "too_many_headers")
        if len(name) + len(value) + 2 > self.limits.header_line:
            shown = name[:64].decode("latin-1")
            detail = f"header {shown!r} is longer than {self.limits.header_line} bytes"
            raise HeadRefused(431, detail, "header_too_large")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_left = None
        self._cancel_header_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._head_left = self._head_budget  # the next request's head may follow
        self._line_done = False
        super().on_message_complete()

    # -- refusals ------------------------------------------------------------------------

    def _refuse_large_head(self) -> None:
        if not self._line_done:
            detail = f"the request line is longer than {self.limits.request_line} bytes"
            self._refuse(414, detail, "uri_too_long")
            return
        detail = f"the request head is larger than {self._head_budget} bytes"
        self._refuse(431, detail, "header_too_large")

    def _header_timed_out(self) -> None:
        self._header_timer = None
        if self._head_left is not None and not self.transport.is_closing():
            timeout = self.limits.header_timeout
            detail = f"the request head did not arrive within {timeout:g}s"
            self._refuse(408, detail, "header_timeout")

    def _refuse(self, status: int, detail: str, code: str, extra: tuple[bytes, ...] = ()) -> None:
        self._cancel_header_timer()
        self._head_left = None
        url = self.url[:_INSTANCE_LIMIT].decode("latin-1").partition("?")[0]
        self.transport.write(refusal_bytes(status, detail, code, url or "/", extra))
        self.transport.close()

    def _arm_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(
            self.limits.header_timeout, self._header_timed_out
        )

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
