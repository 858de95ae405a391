"""One HTTP/1.1 connection to an upstream, as an asyncio protocol.

Why not a general HTTP client (httpx) on the hot path: it rebuilds header
dictionaries, URLs, cookie jars and timers on every request; the gateway already
has raw ASGI header bytes and a precomputed upstream origin, so it writes the
request line and headers straight to the socket and parses the answer with
httptools (the parser uvicorn uses). bench/upstream_client.py measures it against
httpcore (h11) and httpx in one run: a small fraction of their CPU per request
(docs/gateway.md gives the figures), which is why it is kept; its conformance
suite is tests/gateway/test_client_conformance.py.

A connection carries one request at a time. The response body is buffered
in a small queue; above :data:`HIGH_WATER` bytes the socket stops reading
until the consumer catches up (back-pressure both ways: request bodies wait
for ``resume_writing``). Every wait is bounded by the read timeout.

Example (through :class:`gateway.client.pool.UpstreamPool`)::

    response = await pool.request(origin, b"GET", b"/items/1", headers, None, 30.0)
    response.status, response.headers   # 200, [(b"content-type", b"application/json"), ...]
    body = await response.read()
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httptools

if TYPE_CHECKING:
    from gateway.client.pool import Origin, UpstreamPool

HIGH_WATER = 256 * 1024
# A response head (status line and headers, 1xx answers included) larger than this is
# refused (502), as nginx refuses one past proxy_buffer_size (4-8 KiB by default).
HEAD_LIMIT = 64 * 1024


class UpstreamError(Exception):
    """Base of upstream failures."""


class ConnectFailed(UpstreamError):
    """No connection could be made (refused, unreachable, connect timeout)."""


class Disconnected(UpstreamError):
    """The connection closed before any byte of a response arrived; safe to
    retry for idempotent requests."""


class ReadTimeout(UpstreamError):
    """The upstream did not send the next part of its response in time."""


class ProtocolFailure(UpstreamError):
    """The upstream's response is not valid HTTP/1.1, or broke off midway."""


_HEAD_TOO_LARGE = f"the upstream's response head is larger than {HEAD_LIMIT} bytes"


class Connection(asyncio.Protocol):
    """The protocol object of one upstream socket (see module doc)."""

    def __init__(self, pool: UpstreamPool, origin: Origin) -> None:
        self.pool = pool
        self.origin = origin
        self.loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.in_use = False
        self.idle_since = 0.0
        self.response: UpstreamResponse | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._can_write: asyncio.Future[None] | None = None
        self._header_list: list[tuple[bytes, bytes]] = []
        self._trailing = False  # bytes of a further message followed the answer: never reuse

    # -- asyncio.Protocol ------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        response = self.response
        if response is None:  # bytes nobody asked for: the connection is unusable
            self.close()
            return
        response.received = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            refused = exc.__context__ if isinstance(exc.__context__, ProtocolFailure) else None
            response.fail(refused or ProtocolFailure(f"invalid HTTP response: {exc}"))
            self.close()
            return
        if not response.status:  # the head is still incomplete: bound what it may hold
            response.head_read += len(data)
            if response.head_read > HEAD_LIMIT:
                response.fail(ProtocolFailure(_HEAD_TOO_LARGE))
                self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool.forget(self)
        response = self.response
        if response is not None and response.until_close and response._error is None:
            response.finish()  # no length, no chunked coding: the close ends the body
        elif response is not None and not response.complete:
            if response.received:
                response.fail(ProtocolFailure("the upstream closed the connection mid-response"))
            else:
                response.fail(Disconnected("the upstream closed the connection"))
        self.resume_writing()  # a writer waiting in drain() wakes up and sees it closed

    def pause_writing(self) -> None:
        self._can_write = self.loop.create_future()

    def resume_writing(self) -> None:
        if self._can_write is not None and not self._can_write.done():
            self._can_write.set_result(None)
        self._can_write = None

    # -- httptools callbacks -----------------------------------------------------------
    def on_message_begin(self) -> None:
        response = self.response
        if response is None or response.status:  # a second answer queued behind the first
            self._trailing = True
            if response is not None:
                response.keep_alive = False

    def on_header(self, name: bytes, value: bytes) -> None:
        response = self.response
        if response is not None:  # a head that arrived in one read is bounded here
            response.head_size += len(name) + len(value) + 4
            if response.head_size > HEAD_LIMIT:
                raise ProtocolFailure(_HEAD_TOO_LARGE)
        self._header_list.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        response = self.response
        assert response is not None
        status = self._parser.get_status_code()
        headers, self._header_list = self._header_list, []
        if 100 <= status < 200 or self._trailing:  # informational: the real answer follows
            return
        response.start(status, headers, self._parser.should_keep_alive())

    def on_body(self, body: bytes) -> None:
        response = self.response
        if response is not None and response.status and not self._trailing:
            response.push(body)

    def on_message_complete(self) -> None:
        response = self.response
        if response is not None and response.status and not self._trailing:
            response.finish()

    # -- use by the pool -----------------------------------------------------------------
    def send(self, data: bytes) -> None:
        assert self.transport is not None
        self.transport.write(data)

    async def drain(self) -> None:
        """Wait until the socket takes more data, or has closed (the writer
        checks :attr:`closed` next). The wait is a future that only ever gets
        a result: nobody may be waiting on it when the connection drops, and
        a future's exception that nobody retrieves is logged as an error."""
        if self._can_write is not None:
            await self._can_write

    def pause_reading(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.resume_reading()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.transport is not None:
                self.transport.close()
            self.pool.forget(self)


class UpstreamResponse:
    """The answer on one connection: status and headers, then the body."""

    __slots__ = (
        "_chunks",
        "_error",
        "_timer",
        "_waiter",
        "buffered",
        "complete",
        "conn",
        "content_length",
        "head_read",
        "head_size",
        "headers",
        "keep_alive",
        "no_body",
        "received",
        "status",
        "timeout",
        "until_close",
    )

    def __init__(self, conn: Connection, timeout: float, no_body: bool) -> None:
        self.conn = conn
        self.timeout = timeout
        self.no_body = no_body  # HEAD: headers only, whatever Content-Length says
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.content_length: int | None = None
        self.until_close = False  # the body has no framing: the upstream's close ends it
        self.head_size = 0  # header bytes parsed (a head that came in one read)
        self.head_read = 0  # bytes read while the head was incomplete
        self.keep_alive = False
        self.received = False
        self.complete = False
        self.buffered = 0
        self._chunks: deque[bytes] = deque()
        self._error: Exception | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None

    # -- fed by the connection -------------------------------------------------------------
    def start(self, status: int, headers: list[tuple[bytes, bytes]], keep_alive: bool) -> None:
        self.status = status
        self.headers = headers
        self.keep_alive = keep_alive
        framed = status in (204, 304)
        for name, value in headers:
            if name == b"content-length":
                framed = True
                try:
                    self.content_length = int(value)
                except ValueError:
                    self.content_length = None
            elif name == b"transfer-encoding":
                framed = True
        self.until_close = not framed and not self.no_body and not keep_alive
        if self.no_body:
            self.complete = True
            self.keep_alive = False  # the parser would wait for a body: never reuse
        self._wake()

    def push(self, body: bytes) -> None:
        self._chunks.append(body)
        self.buffered += len(body)
        if self.buffered > HIGH_WATER:
            self.conn.pause_reading()
        self._wake()

    def finish(self) -> None:
        self.complete = True
        self._wake()

    def fail(self, error: Exception) -> None:
        if self._error is None:  # the first cause wins (a timeout, then the close it causes)
            self._error = error
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:  # whoever ends a wait stops its timer
            self._waiter = None
            if self._timer is not None:
                self._timer.cancel()
            if not waiter.done():
                waiter.set_result(None)

    def _expire(self) -> None:
        self.fail(ReadTimeout(f"no answer within {self.timeout:g}s"))
        self.conn.close()

    def _next_event(self) -> asyncio.Future[None]:
        """A future that the next event on the connection (or the read timeout)
        resolves. Awaited as it is, without a coroutine around it: one frame less
        on every resumption of the request's task (measured, docs/gateway.md)."""
        loop = self.conn.loop
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiter = waiter
        self._timer = loop.call_later(self.timeout, self._expire)
        return waiter

    # -- read by the proxy -------------------------------------------------------------------
    async def wait_headers(self) -> None:
        while not self.status and self._error is None:
            await self._next_event()
        if not self.status and self._error is not None:
            raise self._error

    def arrived_body(self) -> bytes | None:
        """The whole body if it has fully arrived (the common case: joined at
        once, without a coroutine or an async iterator, a measured part of each
        proxied request, docs/gateway.md), else None."""
        if not self.complete or self._error is not None:
            return None
        queued = self._chunks
        body = queued[0] if len(queued) == 1 else b"".join(queued)
        queued.clear()
        if self.buffered > HIGH_WATER:
            self.conn.resume_reading()
        self.buffered = 0
        return body

    async def read(self) -> bytes:
        """The whole body (for small responses)."""
        body = self.arrived_body()
        if body is not None:
            return body
        chunks = [chunk async for chunk in self.iter_chunks()]
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    async def iter_chunks(self) -> AsyncIterator[bytes]:
        """Body chunks as they arrive; :class:`ProtocolFailure` or
        :class:`ReadTimeout` if the body breaks off."""
        chunks = self._chunks
        while True:
            if chunks:
                chunk = chunks.popleft()
                self.buffered -= len(chunk)
                if not chunks:
                    self.conn.resume_reading()
                yield chunk
                continue
            if self.complete:
                return
            if self._error is not None:
                raise self._error
            await self._next_event()

    def release(self) -> None:
        """Give the connection back when the exchange is over, else close it."""
        if self._timer is not None:  # a wait that a cancellation broke off
            self._timer.cancel()
        conn = self.conn
        if conn.response is not self:
            return
        conn.response = None
        if self.complete and self.keep_alive and not self._chunks and self._error is None:
            conn.pool.put_back(conn)
        else:
            conn.close()
