"""The gateway's HTTP protocol against uvicorn's own: the same scopes, the same bytes.

:mod:`gateway.protocol` does uvicorn's per-request work in fewer steps; each
test feeds both protocols the same request bytes and asserts they agree (the
scope the app sees, the response bytes written, the refusal of an invalid
response header), plus the keep-alive timer it arms once per idle period.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from gateway.client.pool import _Slot
from gateway.protocol import GatewayHttpToolsProtocol
from tests.gateway.test_corking import FakeTransport as CorkingFake

App = Callable[[Any, Any, Any], Awaitable[None]]


class FakeTransport(CorkingFake):
    """The corking tests' transport, which the protocol may also pause."""

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def exchange(
    protocol_class: type[HttpToolsProtocol], app: App, request: bytes, keep_alive: float = 5.0
) -> tuple[bytes, bool]:
    """(the bytes the protocol wrote for ``request``, whether it closed the connection)."""

    async def run() -> tuple[bytes, bool]:
        config = uvicorn.Config(app, timeout_keep_alive=keep_alive, log_level="critical")
        config.load()
        state = ServerState()
        state.default_headers = [(b"date", b"Thu, 03 Dec 2026 14:00:00 GMT")]
        protocol = protocol_class(config, state, {})
        transport = FakeTransport()
        protocol.connection_made(transport)  # type: ignore[arg-type]
        protocol.data_received(request)
        while state.tasks:
            await asyncio.gather(*state.tasks)
        await asyncio.sleep(0.01)  # corked writes flush at the end of an iteration
        protocol.connection_lost(None)
        return b"".join(transport.writes), transport.closed

    return asyncio.run(run())


def answering(*messages: dict[str, Any], seen: list[Any] | None = None) -> App:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if seen is not None:
            seen.append({k: v for k, v in scope.items() if k != "state"})
        for message in messages:
            await send(message)

    return app


START = {"type": "http.response.start", "status": 200,
         "headers": [(b"content-type", b"text/plain"), (b"Content-Length", b"2")]}  # fmt: skip
BODY = {"type": "http.response.body", "body": b"ok"}

TARGETS = [
    b"/items/1",
    b"/items/1?x=2&y",
    b"/items/1?",
    b"/a%20b/%2F?q=%20",
    b"/a?b?c",
    b"/",
    b"http://example.com/abs?x=1",  # absolute form: parse_url, as uvicorn
    b"/frag#x?y",
]


@pytest.mark.parametrize("target", TARGETS)
def test_the_scope_is_uvicorns(target: bytes) -> None:
    request = (
        b"GET " + target + b" HTTP/1.1\r\nHost: a\r\nX-Trail: v \t\r\nExpect: 100-continue\r\n\r\n"
    )
    scopes: list[list[Any]] = []
    for protocol_class in (HttpToolsProtocol, GatewayHttpToolsProtocol):
        seen: list[Any] = []
        exchange(protocol_class, answering(START, BODY, seen=seen), request)
        scopes.append(seen)
    assert scopes[0] == scopes[1]
    assert scopes[0][0]["headers"][1] == (b"x-trail", b"v")


RESPONSES = {
    "sized": (START, BODY),
    "chunked": ({"type": "http.response.start", "status": 200, "headers": []},
                {"type": "http.response.body", "body": b"ab", "more_body": True},
                {"type": "http.response.body", "body": b"", "more_body": True},
                {"type": "http.response.body", "body": b"c"}),
    "closing": ({"type": "http.response.start", "status": 404,
                 "headers": [(b"connection", b"Keep-Alive, close"), (b"content-length", b"0")]},
                {"type": "http.response.body", "body": b""}),
    "no content": ({"type": "http.response.start", "status": 204, "headers": []},
                   {"type": "http.response.body"}),
    "obs-text and tab": ({"type": "http.response.start", "status": 200,
                          "headers": [(b"x-v", b"caf\xe9\tx"), (b"content-length", b"0")]},
                         {"type": "http.response.body"}),
}  # fmt: skip


@pytest.mark.parametrize("method", [b"GET", b"HEAD"])
@pytest.mark.parametrize("version", [b"1.1", b"1.0"])
@pytest.mark.parametrize("name", list(RESPONSES))
def test_the_response_bytes_are_uvicorns(name: str, method: bytes, version: bytes) -> None:
    request = method + b" /x HTTP/" + version + b"\r\nHost: a\r\n\r\n"
    answers = [
        exchange(protocol_class, answering(*RESPONSES[name]), request)
        for protocol_class in (HttpToolsProtocol, GatewayHttpToolsProtocol)
    ]
    assert answers[0] == answers[1]


BAD_HEADERS = [
    (b"x-a", b"1\r\nset-cookie: stolen=1"),  # response splitting
    (b"x-a", b"1\nx"),
    (b"x-a", b"\x00"),
    (b"x-a", b"\x7f"),
    (b"x-a\r\nset-cookie", b"1"),
    (b"x a", b"1"),
    (b"x:a", b"1"),
    (b"content-length", b"2\r\n"),
]


@pytest.mark.parametrize("header", BAD_HEADERS)
def test_an_invalid_response_header_is_refused_as_uvicorn_does(header: tuple[bytes, bytes]) -> None:
    start = {"type": "http.response.start", "status": 200, "headers": [header]}
    errors: list[str] = []
    for protocol_class in (HttpToolsProtocol, GatewayHttpToolsProtocol):

        async def app(scope: Any, receive: Any, send: Any) -> None:
            try:
                await send(start)
            except RuntimeError as exc:
                errors.append(str(exc))
                raise

        written, closed = exchange(protocol_class, app, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        assert (written, closed) == (b"", True)  # nothing of the head is sent: uvicorn closes
    assert len(errors) == 2
    assert errors[0] == errors[1]


def test_an_idle_connection_closes_after_the_keep_alive_timeout() -> None:
    async def run() -> list[bool]:
        config = uvicorn.Config(answering(START, BODY), timeout_keep_alive=1, log_level="critical")
        config.load()
        state = ServerState()
        protocol = GatewayHttpToolsProtocol(config, state, {})
        transport = FakeTransport()
        protocol.connection_made(transport)  # type: ignore[arg-type]
        seen = []
        for _ in range(2):  # a second request 0.6 s later: its idle period starts anew
            protocol.data_received(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            await asyncio.sleep(0.6)
            seen.append(transport.closed)
        await asyncio.sleep(0.6)  # 1.2 s after the second response
        seen.append(transport.closed)
        protocol.connection_lost(None)
        return seen

    assert asyncio.run(run()) == [False, False, True]


def test_a_place_handed_to_a_cancelled_waiter_passes_on() -> None:
    async def run() -> None:
        slot = _Slot(1)
        assert slot.take()
        first = asyncio.ensure_future(slot.wait())
        second = asyncio.ensure_future(slot.wait())
        gone = asyncio.ensure_future(slot.wait())
        await asyncio.sleep(0)
        gone.cancel()  # cancelled while waiting: leaves the queue
        await asyncio.sleep(0)
        slot.release()  # handed to the first waiter ...
        first.cancel()  # ... which is cancelled before it runs: the place passes on
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert first.cancelled() and second.done() and not second.cancelled()
        assert not slot.take() and not slot.waiters  # the second holds the one place
        slot.release()
        assert slot.take()

    asyncio.run(run())
