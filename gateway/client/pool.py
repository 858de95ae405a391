"""A keep-alive connection pool to upstreams, and the request it sends.

Idle connections are kept per origin (scheme, host, port), newest first, for
at most ``keepalive`` seconds (a sweep closes older ones): shorter than the
keep-alive of common upstream servers (uvicorn 5 s, gunicorn gthread 2 s), so
the pool rarely picks a connection the server is closing. At most ``limit`` connections per origin
exist at once; further requests wait for one. Nothing leaks: a connection is
either in use by exactly one response, idle in the pool, or closed.

Request bodies are written as given: bytes (with the client's
``Content-Length``), or streamed from an async iterable, raw when the client
sent a ``Content-Length`` and with chunked transfer coding otherwise.

Example::

    pool = UpstreamPool()
    origin = Origin.parse("http://127.0.0.1:8001")
    response = await pool.request(origin, b"POST", b"/orders", [(b"content-length", b"2")],
                                  b"{}", timeout=30.0, connect_timeout=5.0)
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from gateway.client.connection import (
    ConnectFailed,
    Connection,
    Disconnected,
    UpstreamResponse,
)

Header = tuple[bytes, bytes]
DNS_TTL = 30.0
_ORIGINS: dict[str, Origin] = {}


@dataclass(frozen=True, eq=False)
class Origin:
    """Where a service lives: ``http://host:port`` plus an optional base path.

    Parsed once per URL (:meth:`parse` returns the same object for the same
    URL), and compared by identity: the pool looks origins up twice per
    request, and a dataclass's field-by-field hash costs microseconds."""

    scheme: str
    host: str
    port: int
    base_path: str
    host_header: bytes

    @classmethod
    def parse(cls, url: str) -> Origin:
        """``http://127.0.0.1:8001/api`` → Origin("http", "127.0.0.1", 8001, "/api")."""
        found = _ORIGINS.get(url)
        if found is None:
            found = _ORIGINS[url] = cls._parse(url)
        return found

    @classmethod
    def _parse(cls, url: str) -> Origin:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        default = (parts.scheme, port) in (("http", 80), ("https", 443))
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        header = host if default else f"{host}:{port}"
        return cls(parts.scheme, parts.hostname, port, parts.path.rstrip("/"), header.encode())


class _Slot:
    """The connections of one origin: the idle ones, and a count of the free places
    (``limit`` at most in use). Taking a free place is synchronous, the common case
    on the hot path (asyncio.Semaphore.acquire runs a generator over its waiters each
    time); waiters queue in order and each release hands its place to the first."""

    __slots__ = ("free", "idle", "waiters")

    def __init__(self, limit: int) -> None:
        self.idle: deque[Connection] = deque()
        self.free = limit
        self.waiters: deque[asyncio.Future[None]] = deque()

    def take(self) -> bool:
        """Take a free place at once, if one is free and nobody waits for one."""
        if self.free > 0 and not self.waiters:
            self.free -= 1
            return True
        return False

    async def wait(self) -> None:
        """Wait for a place (handed over by :meth:`release`)."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a place, then cancelled: pass it on
            elif waiter in self.waiters:
                self.waiters.remove(waiter)
            raise

    def release(self) -> None:
        """Give a place back: to the first live waiter, else to the free count."""
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.free += 1


class UpstreamPool:
    def __init__(self, limit: int = 256, keepalive: float = 1.5) -> None:
        self.limit = limit
        self.keepalive = keepalive
        self._slots: dict[Origin, _Slot] = {}
        self._ssl: ssl.SSLContext | None = None
        self._sweeper: asyncio.TimerHandle | None = None
        self._addresses: dict[Origin, tuple[str, int, float]] = {}
        self.opened = 0  # connections ever opened, for tests and metrics

    def sweep(self) -> None:
        """Close idle connections older than ``keepalive``; runs every ``keepalive``
        seconds once a connection was put back, until :meth:`close`."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        for slot in self._slots.values():
            for conn in [c for c in slot.idle if now - c.idle_since >= self.keepalive]:
                conn.close()
        self._sweeper = loop.call_later(self.keepalive, self.sweep)

    def _slot(self, origin: Origin) -> _Slot:
        slot = self._slots.get(origin)
        if slot is None:
            slot = self._slots[origin] = _Slot(self.limit)
        return slot

    def idle_count(self) -> int:
        return sum(len(slot.idle) for slot in self._slots.values())

    def _reuse(self, slot: _Slot) -> Connection | None:
        """The newest idle connection that is still open and fresh enough, if any
        (older ones are closed on the way)."""
        idle = slot.idle
        while idle:
            conn = idle.pop()
            if not conn.closed and conn.loop.time() - conn.idle_since < self.keepalive:
                return conn
            conn.close()
        return None

    async def _connect(self, slot: _Slot, origin: Origin, connect_timeout: float) -> Connection:
        """A new connection in a place already taken (given back if none opens)."""
        try:
            return await self._open(origin, connect_timeout)
        except BaseException:
            slot.release()
            raise

    async def _open(self, origin: Origin, connect_timeout: float) -> Connection:
        loop = asyncio.get_running_loop()
        context = None
        if origin.scheme == "https":
            context = self._ssl = self._ssl or ssl.create_default_context()
        try:
            async with asyncio.timeout(connect_timeout):
                host, port = await self._address(origin)
                _, conn = await loop.create_connection(
                    lambda: Connection(self, origin),
                    host,
                    port,
                    ssl=context,
                    server_hostname=origin.host if context else None,
                )
        except TimeoutError:
            raise ConnectFailed(f"no connection within {connect_timeout:g}s") from None
        except OSError as exc:
            self._addresses.pop(origin, None)  # resolve again next time
            raise ConnectFailed(exc.strerror or str(exc)) from None
        self.opened += 1
        return conn

    async def _address(self, origin: Origin) -> tuple[str, int]:
        """The IP address and port of ``origin``, resolved once per
        :data:`DNS_TTL`: an upstream that closes its connections (gunicorn's
        sync workers) would otherwise cost a name lookup per request."""
        loop = asyncio.get_running_loop()
        cached = self._addresses.get(origin)
        if cached is not None and cached[2] > loop.time():
            return cached[0], cached[1]
        infos = await loop.getaddrinfo(origin.host, origin.port, type=socket.SOCK_STREAM)
        if not infos:
            raise OSError(f"cannot resolve {origin.host!r}")
        address = infos[0][4]
        self._addresses[origin] = (str(address[0]), int(address[1]), loop.time() + DNS_TTL)
        return str(address[0]), int(address[1])

    def put_back(self, conn: Connection) -> None:
        """An exchange ended cleanly: the connection waits for the next one."""
        conn.idle_since = conn.loop.time()
        if self._sweeper is None:
            self._sweeper = conn.loop.call_later(self.keepalive, self.sweep)
        slot = self._slot(conn.origin)
        slot.idle.append(conn)
        conn.in_use = False
        slot.release()

    def forget(self, conn: Connection) -> None:
        """A connection closed: drop it from the idle list, or free its slot
        if it was in use (exactly once, whatever closes it)."""
        slot = self._slots.get(conn.origin)
        if slot is None:
            return
        if conn.in_use:
            conn.in_use = False
            slot.release()
        elif conn in slot.idle:
            slot.idle.remove(conn)

    async def request(
        self,
        origin: Origin,
        method: bytes,
        target: bytes,
        headers: Sequence[Header],
        body: bytes | AsyncIterable[bytes] | None,
        *,
        timeout: float,
        connect_timeout: float,
        streamed_length: bool = False,
        fresh: bool = False,
    ) -> UpstreamResponse:
        """Send one request and wait for the response head.

        ``streamed_length``: the headers carry a Content-Length for a streamed
        body (else a streamed body is sent chunked). ``fresh``: on a new
        connection, never an idle one (a retry after a connection died: its
        idle siblings may be dead too)."""
        slot = self._slot(origin)
        if not slot.take():
            await slot.wait()
        conn = None if fresh else self._reuse(slot)
        if conn is None:
            conn = await self._connect(slot, origin, connect_timeout)
        conn.in_use = True
        response = UpstreamResponse(conn, timeout, method == b"HEAD")
        conn.response = response
        try:
            head = _head(method, target, origin.host_header, headers)
            if body is None or isinstance(body, bytes):
                conn.send(head + b"\r\n" + body if body else head + b"\r\n")
            elif streamed_length:
                conn.send(head + b"\r\n")
                await _send_stream(conn, response, body, chunked=False)
            else:
                conn.send(head + b"transfer-encoding: chunked\r\n\r\n")
                await _send_stream(conn, response, body, chunked=True)
            await response.wait_headers()
        except BaseException:
            response.release() if response.complete else conn.close()
            raise
        return response

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        for slot in self._slots.values():
            while slot.idle:
                slot.idle.pop().close()
        self._slots.clear()


def _head(method: bytes, target: bytes, host: bytes, headers: Sequence[Header]) -> bytes:
    """The request line and headers, without the blank line that ends them
    (a streamed body adds its framing header first)."""
    lines = [method, b" ", target, b" HTTP/1.1\r\nhost: ", host, b"\r\n"]
    for name, value in headers:
        lines += (name, b": ", value, b"\r\n")
    return b"".join(lines)


async def _send_stream(
    conn: Connection, response: UpstreamResponse, body: AsyncIterable[bytes], chunked: bool
) -> None:
    """Write a streamed body; stop early (and never reuse the connection) when
    the upstream answers before it has read it all (e.g. its own 413)."""
    async for chunk in body:
        if response.status:
            response.keep_alive = False
            return
        if conn.closed:
            raise Disconnected("the upstream closed the connection while receiving the body")
        if chunked:
            conn.send(b"%x\r\n%b\r\n" % (len(chunk), chunk))
        else:
            conn.send(chunk)
        await conn.drain()
    if chunked:
        conn.send(b"0\r\n\r\n")
