"""Conformance of the gateway's upstream client (issue 14): what an upstream
may send, and what the client makes of it, as nginx would (or refused, which
the proxy answers with 502), never leaving a bad connection in the pool.

Each case scripts the answer to the first request on the first connection;
every later request (on any connection) gets ``200 ok``. The scenario sends
the first request, checks its outcome, then sends a second one: it must get
the real ``200 ok``, on the same connection when the first exchange left it
clean (``reused``), else on a new one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from gateway.client import Origin, ProtocolFailure, UpstreamPool
from tests.gateway.test_client import OK, read_request, serve

OK_HEAD = b"HTTP/1.1 200 OK\r\n"


@dataclass(frozen=True)
class Case:
    answer: bytes  # what the upstream sends to the first request
    outcome: tuple[int, bytes] | type[Exception]  # (status, body) or the error raised
    reused: bool  # the second request goes over the same connection
    close_after: bool = False  # the upstream closes after sending ``answer``
    method: bytes = b"GET"
    absent: tuple[bytes, ...] = ()  # header names the response must not carry


CASES = {
    "chunked with trailers": Case(
        OK_HEAD + b"transfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n"
        b"x-checksum: 1\r\n\r\n",
        (200, b"abcde"), reused=True, absent=(b"x-checksum",),
    ),
    "1xx interim answers before the final one": Case(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n" + OK,
        (200, b"ok"), reused=True, absent=(b"link",),
    ),
    "no length, ends at close": Case(
        OK_HEAD + b"content-type: text/plain\r\n\r\nuntil the end", (200, b"until the end"),
        reused=False, close_after=True,
    ),
    "closed mid-body": Case(
        OK_HEAD + b"content-length: 10\r\n\r\nhalf", ProtocolFailure, reused=False,
        close_after=True,
    ),
    "closed mid-head": Case(OK_HEAD + b"content-len", ProtocolFailure, reused=False,
                            close_after=True),
    "an error answer, then reuse": Case(
        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\n\r\nboom", (500, b"boom"),
        reused=True,
    ),
    "204 without a body": Case(b"HTTP/1.1 204 No Content\r\n\r\n", (204, b""), reused=True),
    "304 with the representation's length": Case(
        b'HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\netag: "x"\r\n\r\n', (304, b""),
        reused=True,
    ),
    "HEAD with a length and no body": Case(
        OK_HEAD + b"content-length: 1000\r\n\r\n", (200, b""), reused=False, method=b"HEAD",
    ),
    "an oversized header line": Case(
        OK_HEAD + b"x-big: " + b"a" * 70_000 + b"\r\ncontent-length: 2\r\n\r\nok",
        ProtocolFailure, reused=False,
    ),
    "an oversized head of many lines": Case(
        OK_HEAD + b"".join(b"x-%d: %s\r\n" % (n, b"v" * 60) for n in range(2000))
        + b"content-length: 2\r\n\r\nok",
        ProtocolFailure, reused=False,
    ),
    "a header line without a colon": Case(
        OK_HEAD + b"no colon here\r\ncontent-length: 2\r\n\r\nok", ProtocolFailure, reused=False
    ),
    "a space before the colon": Case(
        OK_HEAD + b"x-a : b\r\ncontent-length: 2\r\n\r\nok", ProtocolFailure, reused=False
    ),
    "splitting: a bare CR in a value": Case(
        OK_HEAD + b"x-a: a\rset-cookie: evil=1\r\ncontent-length: 2\r\n\r\nok",
        ProtocolFailure, reused=False,
    ),
    "splitting: a folded line": Case(
        OK_HEAD + b"x-a: a\r\n set-cookie: evil=1\r\ncontent-length: 2\r\n\r\nok",
        ProtocolFailure, reused=False,
    ),
    "splitting: a control byte in a value": Case(
        OK_HEAD + b"x-a: a\x01b\r\ncontent-length: 2\r\n\r\nok", ProtocolFailure, reused=False
    ),
    "splitting: a second answer queued behind the first": Case(
        OK + b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nevil", (200, b"ok"), reused=False
    ),
    "two different lengths": Case(
        OK_HEAD + b"content-length: 2\r\ncontent-length: 3\r\n\r\nok", ProtocolFailure,
        reused=False,
    ),
    "a length and chunked coding together": Case(
        OK_HEAD + b"content-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        ProtocolFailure, reused=False,
    ),
    "a length that is not a number": Case(
        OK_HEAD + b"content-length: 2x\r\n\r\nok", ProtocolFailure, reused=False
    ),
    "not HTTP/1.x": Case(b"SSH-2.0-OpenSSH_9.6\r\n", ProtocolFailure, reused=False),
}  # fmt: skip


async def exchange(
    pool: UpstreamPool, origin: Origin, method: bytes
) -> tuple[int, bytes, set[bytes]]:
    response = await pool.request(origin, method, b"/x", [], None, timeout=2, connect_timeout=1)
    try:
        body = await response.read()
    finally:
        response.release()
    return response.status, body, {name for name, _ in response.headers}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_upstream_answer(case: Case) -> None:
    first = [True]

    async def upstream(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await read_request(reader)
            if first.pop() if first else False:
                writer.write(case.answer)
                await writer.drain()
                if case.close_after:
                    return
            else:
                writer.write(OK)
                await writer.drain()

    async def scenario(origin: Origin, accepted: list[int]) -> None:
        pool = UpstreamPool(limit=1)  # a leaked slot would make the second request wait
        if isinstance(case.outcome, tuple):
            status, body, names = await asyncio.wait_for(exchange(pool, origin, case.method), 5)
            assert (status, body) == case.outcome
            assert not names & set(case.absent)
        else:
            with pytest.raises(case.outcome):
                await asyncio.wait_for(exchange(pool, origin, case.method), 5)
        second = await asyncio.wait_for(exchange(pool, origin, b"GET"), 5)
        assert second[:2] == (200, b"ok")
        assert pool.opened == (1 if case.reused else 2)
        await pool.close()

    serve(upstream, scenario)
