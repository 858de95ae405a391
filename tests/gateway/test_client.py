"""The gateway's upstream client against scripted asyncio servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable

import pytest

from gateway.client import (
    ConnectFailed,
    Disconnected,
    Origin,
    ProtocolFailure,
    ReadTimeout,
    UpstreamPool,
)
from gateway.client.connection import Connection
from tests.conftest import free_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-type: text/plain\r\n\r\nok"


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            await reader.readexactly(int(line.split(b":")[1]))
    return head


def serve(handler: Handler, scenario: Callable[[Origin, list[int]], Awaitable[None]]) -> list[int]:
    """Run ``scenario`` against a server; returns how many connections it accepted."""
    accepted: list[int] = []

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        try:
            await handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            await scenario(Origin.parse(f"http://127.0.0.1:{port}"), accepted)

    asyncio.run(main())
    return accepted


async def keep_alive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        await read_request(reader)
        writer.write(OK)
        await writer.drain()


async def get(pool: UpstreamPool, origin: Origin, method: bytes = b"GET") -> tuple[int, bytes]:
    response = await pool.request(origin, method, b"/x", [], None, timeout=2.0, connect_timeout=1.0)
    try:
        return response.status, await response.read()
    finally:
        response.release()


def test_connections_are_reused() -> None:
    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool()
        assert [await get(pool, origin) for _ in range(5)] == [(200, b"ok")] * 5
        assert (pool.opened, pool.idle_count()) == (1, 1)
        await pool.close()

    assert len(serve(keep_alive, scenario)) == 1


def test_connection_close_is_honoured() -> None:
    async def close_each(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok")
        await writer.drain()

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool()
        assert [await get(pool, origin) for _ in range(3)] == [(200, b"ok")] * 3
        assert pool.idle_count() == 0
        await pool.close()

    assert len(serve(close_each, scenario)) == 3


def test_chunked_response_streams() -> None:
    async def chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
        for piece in (b"a" * 5000, b"b" * 3):
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
            await asyncio.sleep(0.01)
        writer.write(b"0\r\n\r\n")
        await keep_alive(reader, writer)

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool()
        response = await pool.request(origin, b"GET", b"/", [], None, timeout=2, connect_timeout=1)
        assert response.content_length is None
        body = b"".join([chunk async for chunk in response.iter_chunks()])
        response.release()
        assert body == b"a" * 5000 + b"b" * 3
        assert await get(pool, origin) == (200, b"ok")
        assert pool.opened == 1
        await pool.close()

    serve(chunked, scenario)


def test_refused_connection_is_connect_failed() -> None:
    async def scenario() -> None:
        pool = UpstreamPool()
        origin = Origin.parse(f"http://127.0.0.1:{free_port()}")
        with pytest.raises(ConnectFailed):
            await get(pool, origin)
        await pool.close()

    asyncio.run(scenario())


def test_close_without_answer_is_disconnected_and_frees_the_slot() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool(limit=1)
        for _ in range(3):  # with a leaked slot, the second request would wait forever
            with pytest.raises(Disconnected):
                await asyncio.wait_for(get(pool, origin), 5)
        await pool.close()

    serve(hang_up, scenario)


def test_slow_answer_is_read_timeout() -> None:
    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool()
        with pytest.raises(ReadTimeout):
            await pool.request(origin, b"GET", b"/", [], None, timeout=0.2, connect_timeout=1)
        assert pool.idle_count() == 0
        await pool.close()

    serve(slow, scenario)


def test_invalid_answer_is_protocol_failure() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"NOT HTTP AT ALL\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(1)

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool()
        with pytest.raises(ProtocolFailure):
            await get(pool, origin)
        await pool.close()

    serve(garbage, scenario)


def test_informational_answer_is_skipped_and_head_has_no_body() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n" + OK)
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")  # HEAD: no body
        await writer.drain()
        await asyncio.sleep(1)

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool()
        assert await get(pool, origin) == (200, b"ok")
        assert await asyncio.wait_for(get(pool, origin, b"HEAD"), 2) == (200, b"")
        await pool.close()

    serve(handler, scenario)


def test_pool_limit_bounds_concurrent_connections() -> None:
    active = 0
    peak = 0

    async def counting(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal active, peak
        while True:
            await read_request(reader)
            active += 1
            peak = max(peak, active)
            await asyncio.sleep(0.05)
            active -= 1
            writer.write(OK)
            await writer.drain()

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool(limit=2)
        results = await asyncio.gather(*(get(pool, origin) for _ in range(6)))
        assert results == [(200, b"ok")] * 6
        await pool.close()

    assert len(serve(counting, scenario)) == 2
    assert peak == 2


def test_request_line_headers_and_streamed_body_are_written_as_given() -> None:
    seen: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readuntil(b"0\r\n\r\n"))
        writer.write(OK)
        await writer.drain()

    async def body() -> object:
        yield b"hello "
        yield b"world"

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool()
        response = await pool.request(
            origin, b"POST", b"/a%2Fb?x=1", [(b"x-one", b"1")], body(),  # type: ignore[arg-type]
            timeout=2, connect_timeout=1,
        )  # fmt: skip
        response.release()
        await pool.close()

    serve(record, scenario)
    host = seen[0].split(b"\r\n")[1]
    assert seen[0].split(b"\r\n")[0] == b"POST /a%2Fb?x=1 HTTP/1.1"
    assert host.startswith(b"host: 127.0.0.1:")
    assert seen[0].endswith(
        b"x-one: 1\r\ntransfer-encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n"
    )


@pytest.mark.parametrize(
    ("url", "host", "port", "base", "header"),
    [
        ("http://127.0.0.1:8001", "127.0.0.1", 8001, "", b"127.0.0.1:8001"),
        ("https://api.example/v1/", "api.example", 443, "/v1", b"api.example"),
        ("http://[::1]:80", "::1", 80, "", b"[::1]"),
    ],
)
def test_origin_parse(url: str, host: str, port: int, base: str, header: bytes) -> None:
    origin = Origin.parse(url)
    assert (origin.host, origin.port, origin.base_path, origin.host_header) == (
        host, port, base, header,
    )  # fmt: skip


def test_idle_connections_are_swept() -> None:
    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool(keepalive=0.1)
        assert await get(pool, origin) == (200, b"ok")
        assert pool.idle_count() == 1
        await asyncio.sleep(0.35)
        assert pool.idle_count() == 0
        await pool.close()

    serve(keep_alive, scenario)


def test_early_answer_stops_a_streamed_body() -> None:
    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 413 Payload Too Large\r\ncontent-length: 0\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(0.5)

    async def endless() -> object:
        for _ in range(1000):
            await asyncio.sleep(0.01)
            yield b"x" * 1024

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool()
        response = await asyncio.wait_for(
            pool.request(
                origin, b"POST", b"/", [], endless(),  # type: ignore[arg-type]
                timeout=2, connect_timeout=1,
            ),
            3,
        )  # fmt: skip
        assert response.status == 413
        response.release()
        assert pool.idle_count() == 0  # the body was cut short: never reused
        await pool.close()

    serve(refuse, scenario)


def test_a_connection_lost_while_paused_leaves_no_unretrieved_future() -> None:
    """The upstream vanishes while the socket is full and nobody waits in drain():
    nothing may be logged as 'Future exception was never retrieved'."""

    async def scenario() -> tuple[list[str], bool]:
        loop = asyncio.get_running_loop()
        errors: list[str] = []
        loop.set_exception_handler(lambda _loop, context: errors.append(context["message"]))
        conn = Connection(UpstreamPool(), Origin.parse("http://127.0.0.1:9"))
        conn.pause_writing()
        conn.connection_lost(ConnectionResetError("reset"))
        await conn.drain()  # a writer that comes later is not stuck either
        closed = conn.closed
        del conn
        gc.collect()
        await asyncio.sleep(0)
        return errors, closed

    assert asyncio.run(scenario()) == ([], True)
