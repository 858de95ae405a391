"""uvicorn's httptools protocol with a cheaper path per request.

uvicorn's :class:`HttpToolsProtocol` was about half of the gateway's Python
time per proxied request (docs/gateway.md, "Performance"): ``on_headers_complete``
parses every target with ``httptools.parse_url``, ``RequestResponseCycle.send``
runs two regular expressions, a lower-casing and a list per response header,
and each response arms (and each next request cancels) a keep-alive timer.
This keeps its behaviour and does the same work in fewer steps:

* an origin-form target (``/path?query``, the only form a client sends a
  gateway in practice) is split with ``bytes.partition``; any other form
  (absolute, with a fragment) still goes through ``parse_url``;
* a response head is checked with ``bytes.translate`` and the byte sets of
  uvicorn's two expressions: each new header name once (a process remembers
  the names it accepted), the values in one pass over the rendered block,
  whose only refused value bytes may be the CR LF ending each line (a name
  holds neither); only a refused head is checked header by header, for
  uvicorn's error message. The two regular expressions per header were ~3%
  of the instructions of a proxied request;
* the keep-alive timer is armed once per idle period and re-armed when it
  fires early, instead of created and cancelled per request: a connection
  still closes ``timeout_keep_alive`` seconds after its last response if no
  byte arrived since.

Everything else (pipelining, 100-continue, HEAD, flow control, shutdown) is
uvicorn's. Writes go through :class:`gateway.corking.CorkedTransport`.

Example: ``GET /items/1?x=2`` → scope ``path="/items/1"``, ``query_string=b"x=2"``,
the same as uvicorn's.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Iterable
from typing import Any

import httptools
from uvicorn._types import ASGIVersions, HTTPScope
from uvicorn.protocols.http.flow_control import FlowControl, service_unavailable
from uvicorn.protocols.http.httptools_impl import (
    HEADER_RE,
    HEADER_VALUE_RE,
    STATUS_LINE,
    RequestResponseCycle,
)
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

from gateway.corking import CorkedHttpToolsProtocol

Header = tuple[bytes, bytes]
# The bytes uvicorn's expressions refuse in a header name and in a value (each is one
# character class): a rendered head holds a refused value byte only in its line ends.
_NAME_REFUSED = bytes(b for b in range(256) if HEADER_RE.search(bytes([b])))
_VALUE_REFUSED = bytes(b for b in range(256) if HEADER_VALUE_RE.search(bytes([b])))
_NAMES_SEEN_LIMIT = 4096  # names checked once each, up to this many per process
_NO_BODY_STATUS = (204, 304)
_names_seen: set[bytes] = set()


def _valid_name(name: bytes) -> bool:
    if name in _names_seen:
        return True
    if len(name.translate(None, _NAME_REFUSED)) != len(name):
        return False
    if len(_names_seen) < _NAMES_SEEN_LIMIT:
        _names_seen.add(name)
    return True


def _check_headers(headers: Iterable[Header]) -> None:
    """uvicorn's per-header checks and its error, for a head that the block
    expression refused (or whose Content-Length is not a number)."""
    for name, value in headers:
        if HEADER_RE.search(name):
            raise RuntimeError("Invalid HTTP header name.")
        if HEADER_VALUE_RE.search(value):
            raise RuntimeError("Invalid HTTP header value.")
    raise RuntimeError("Invalid HTTP header.")  # headers given as a one-shot iterator


def _length(value: bytes, headers: Iterable[Header]) -> int:
    """A response's Content-Length; an invalid header is reported as uvicorn
    reports it (it checks every header before it reads the length)."""
    try:
        return int(value.decode())
    except (ValueError, UnicodeDecodeError):
        if HEADER_VALUE_RE.search(value):
            _check_headers(headers)
        raise


class ResponseCycle(RequestResponseCycle):
    """uvicorn's request/response cycle with a cheaper response head (module doc)."""

    def __init__(
        self,
        scope: HTTPScope,
        transport: asyncio.Transport,
        flow: FlowControl,
        protocol: GatewayHttpToolsProtocol,
        keep_alive: bool,
    ) -> None:  # uvicorn's state, from the protocol's attributes without keyword passing
        self.scope = scope
        self.transport = transport
        self.flow = flow
        self.logger = protocol.logger
        self.access_logger = protocol.access_logger
        self.access_log = protocol.access_log
        self.default_headers = protocol.server_state.default_headers
        self.message_event = asyncio.Event()
        self.on_response = protocol.on_response_complete
        self.disconnected = False
        self.keep_alive = keep_alive
        self.waiting_for_100_continue = protocol.expect_100_continue
        self.body = bytearray()
        self.more_body = True
        self.response_started = False
        self.response_complete = False
        self.chunked_encoding: bool | None = None
        self.expected_content_length = 0

    def _start(self, message: Any) -> None:
        if message["type"] != "http.response.start":
            raise RuntimeError(
                f"Expected ASGI message 'http.response.start', but got '{message['type']}'."
            )
        self.response_started = True
        self.waiting_for_100_continue = False
        status_code = message["status"]
        headers = message.get("headers", [])
        if self.access_log:
            self.access_logger.info(
                '%s - "%s %s HTTP/%s" %d',
                get_client_addr(self.scope),
                self.scope["method"],
                get_path_with_query_string(self.scope),
                self.scope["http_version"],
                status_code,
            )
        lines: list[bytes] = []
        has_connection_close = False
        names_valid = True
        for headers_of in (self.default_headers, headers):
            for raw_name, value in headers_of:
                names_valid = names_valid and _valid_name(raw_name)
                name = raw_name.lower()
                if name == b"content-length" and self.chunked_encoding is None:
                    self.expected_content_length = _length(value, headers)
                    self.chunked_encoding = False
                elif name == b"transfer-encoding" and value.lower() == b"chunked":
                    self.expected_content_length = 0
                    self.chunked_encoding = True
                elif name == b"connection":
                    connection = [token.lower().strip() for token in value.split(b",")]
                    if b"close" in connection:
                        self.keep_alive = False
                        has_connection_close = True
                lines += (name, b": ", value, b"\r\n")
        block = b"".join(lines)
        line_ends = len(lines) // 2  # CR and LF of each line
        if not names_valid or len(block) - len(block.translate(None, _VALUE_REFUSED)) != line_ends:
            _check_headers([*self.default_headers, *headers])
        content = [STATUS_LINE[status_code], block]
        if not self.keep_alive and not has_connection_close:
            content.append(b"connection: close\r\n")
        if (
            self.chunked_encoding is None
            and self.scope["method"] != "HEAD"
            and status_code not in _NO_BODY_STATUS
        ):
            self.chunked_encoding = True
            content.append(b"transfer-encoding: chunked\r\n")
        content.append(b"\r\n")
        self.transport.write(b"".join(content))

    async def send(self, message: Any) -> None:
        if self.flow.write_paused and not self.disconnected:
            await self.flow.drain()
        if self.disconnected:
            return
        if not self.response_started:
            self._start(message)
            return
        if self.response_complete:
            raise RuntimeError(
                f"Unexpected ASGI message '{message['type']}' sent, after response already"
                " completed."
            )
        if message["type"] != "http.response.body":
            raise RuntimeError(
                f"Expected ASGI message 'http.response.body', but got '{message['type']}'."
            )
        body = message.get("body", b"")
        more_body = message.get("more_body", False)
        if self.scope["method"] == "HEAD":
            self.expected_content_length = 0
        elif self.chunked_encoding:
            chunk = b"%x\r\n%b\r\n" % (len(body), body) if body else b""
            self.transport.write(chunk if more_body else chunk + b"0\r\n\r\n")
        else:
            if len(body) > self.expected_content_length:
                raise RuntimeError("Response content longer than Content-Length")
            self.expected_content_length -= len(body)
            self.transport.write(body)
        if not more_body:
            if self.expected_content_length != 0:
                raise RuntimeError("Response content shorter than Content-Length")
            self.response_complete = True
            self.message_event.set()
            if not self.keep_alive:
                self.transport.close()
            self.on_response()


class GatewayHttpToolsProtocol(CorkedHttpToolsProtocol):
    """uvicorn's httptools protocol with the cheaper steps of the module doc."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._asgi: ASGIVersions = {"version": self.asgi_version, "spec_version": "2.3"}
        self._idle_since: float | None = None  # when the last response ended; None: busy

    def _unset_keepalive_if_required(self) -> None:
        self._idle_since = None  # the timer stays armed: it re-checks when it fires

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timeout_keep_alive_task is not None:
            self.timeout_keep_alive_task.cancel()
            self.timeout_keep_alive_task = None
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        self.url = b""
        self.expect_100_continue = False
        self.headers = []
        scope: HTTPScope = {  # type: ignore[typeddict-item]  # method, path: at headers' end
            "type": "http",
            "asgi": self._asgi,
            "http_version": "1.1",
            "server": self.server,
            "client": self.client,
            "scheme": self.scheme or "http",  # None only before connection_made
            "root_path": self.root_path,
            "headers": self.headers,
            "state": self.app_state.copy(),
        }
        self.scope = scope

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        value = value.rstrip(b" \t")  # llhttp keeps trailing whitespace (RFC 9110 §5.5)
        if name == b"expect" and value.lower() == b"100-continue":
            self.expect_100_continue = True
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        parser = self.parser
        http_version = parser.get_http_version()
        scope = self.scope
        scope["method"] = parser.get_method().decode("ascii")
        if http_version != "1.1":
            scope["http_version"] = http_version
        if parser.should_upgrade() and self._should_upgrade():
            return
        url = self.url
        if url[:1] == b"/" and b"#" not in url:
            raw_path, _, query = url.partition(b"?")
        else:
            parsed = httptools.parse_url(url)
            raw_path, query = parsed.path, parsed.query or b""
        path = raw_path.decode("ascii")
        if "%" in path:
            path = urllib.parse.unquote(path)
        if self.root_path:
            scope["path"] = self.root_path + path
            scope["raw_path"] = self.root_path.encode("ascii") + raw_path
        else:
            scope["path"] = path
            scope["raw_path"] = raw_path
        scope["query_string"] = query
        app = self.app
        if self.limit_concurrency is not None and (
            len(self.connections) >= self.limit_concurrency
            or len(self.tasks) >= self.limit_concurrency
        ):
            app = service_unavailable
            self.logger.warning("Exceeded concurrency limit.")
        existing_cycle = self.cycle
        keep_alive = http_version != "1.0" and parser.should_keep_alive()
        self.cycle = ResponseCycle(scope, self.transport, self.flow, self, keep_alive)
        if existing_cycle is None or existing_cycle.response_complete:
            self._start_asgi_task(self.cycle, app)
        else:  # pipelined: queued until the response before it is complete
            self.flow.pause_reading()
            self.pipeline.appendleft((self.cycle, app))

    def on_response_complete(self) -> None:
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self.flow.resume_reading()
        if self.pipeline:
            self._idle_since = None
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
            return
        self._idle_since = self.loop.time()
        if self.timeout_keep_alive_task is None:
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive, self.timeout_keep_alive_handler
            )

    def timeout_keep_alive_handler(self) -> None:
        self.timeout_keep_alive_task = None
        since = self._idle_since
        if since is None or self.transport.is_closing():
            return  # busy: the next response arms the timer again
        left = since + self.timeout_keep_alive - self.loop.time()
        if left > 0:
            self.timeout_keep_alive_task = self.loop.call_later(
                left, self.timeout_keep_alive_handler
            )
            return
        self.transport.close()
