"""Limits at the edge (issue 13, item 1): oversized and slow request heads, idle and
excess connections, answered by the gateway with problem+json before any service
sees them, with flat memory and descriptors after each flood."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import pytest

from codegen.core.limits import DEFAULT_LIMITS
from codegen.core.strictness import UNKNOWN_DETAIL
from tests.security.shop import PROBLEM
from tests.security.system import EdgeSystem, ProcessStats
from tests.security.wire import RawAnswer, exchange, parse_answer

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

LIMITS = DEFAULT_LIMITS
HEAD_BUDGET = LIMITS.request_line + LIMITS.header_bytes


def refused(answer: RawAnswer, status: int, code: str) -> None:
    assert (answer.status, answer.headers["content-type"]) == (status, PROBLEM), answer
    body = answer.json()
    assert (body["status"], body["code"], body["type"]) == (
        status,
        code,
        f"/_specfirst/problems#{code}",
    )
    assert body["title"] and body["detail"]
    assert answer.headers["connection"] == "close"


def request(target: str = "/products", headers: str = "") -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: edge\r\n{headers}Connection: close\r\n\r\n".encode()


def test_a_long_query_is_a_414_problem(edge: EdgeSystem) -> None:
    target = "/products?q=" + "a" * LIMITS.request_line
    refused(parse_answer(exchange(edge.gateway.port, request(target))), 414, "uri_too_long")


def test_the_longest_request_line_allowed_reaches_the_service(edge: EdgeSystem) -> None:
    """The gateway's limit is the services' (codegen.core.limits): what passes one passes
    both, so no service answers 414 behind the gateway. The service reads the whole line:
    it refuses ``pad``, a query parameter ``GET /products`` does not declare, by name (the
    gateway validates nothing here)."""
    frame = len("GET  HTTP/1.1")
    target = "/products?pad=" + "a" * (LIMITS.request_line - frame - len("/products?pad="))
    answer = parse_answer(exchange(edge.gateway.port, request(target), half_close=False))
    assert answer.status == 400, answer
    assert answer.json()["errors"] == [
        {"parameter": "pad", "in": "query", "detail": UNKNOWN_DETAIL}
    ]


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        (f"X-Big: {'b' * LIMITS.header_line}\r\n", "header_too_large"),
        ("".join(f"X-{i}: v\r\n" for i in range(LIMITS.header_count + 1)), "too_many_headers"),
        ("".join(f"X-{i}: {'c' * 7000}\r\n" for i in range(6)), "header_too_large"),
    ],
    ids=["one-line", "count", "total"],
)
def test_large_heads_are_431_problems(edge: EdgeSystem, headers: str, code: str) -> None:
    refused(parse_answer(exchange(edge.gateway.port, request(headers=headers))), 431, code)


def test_malformed_requests_are_400_problems(edge: EdgeSystem) -> None:
    data = b"GET /products HTTP/1.1\r\nHost: edge\r\nNo colon here\r\n\r\n"
    refused(parse_answer(exchange(edge.gateway.port, data)), 400, "malformed_request")


def unfinished_head(port: int, size: int) -> RawAnswer:
    """Send ``size`` bytes of a header that never ends; the answer the gateway sends."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(b"GET /products HTTP/1.1\r\nHost: edge\r\nX-Slow: ")
        sent, piece = 0, b"z" * 65536
        try:
            while sent < size:
                sock.sendall(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused and closed mid-send: the answer is already here
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    return parse_answer(received)


def flood(count: int, attack: Callable[[], None]) -> None:
    threads = [threading.Thread(target=attack) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def settled(stats: Callable[[], ProcessStats], baseline: ProcessStats) -> ProcessStats:
    """The stats once the descriptors are back near ``baseline`` (at most 10 s)."""
    deadline = time.monotonic() + 10
    now = stats()
    while now.worst_fds() > baseline.worst_fds() + 4 and time.monotonic() < deadline:
        time.sleep(0.2)
        now = stats()
    return now


def test_twenty_unfinished_16_mib_heads_leave_memory_flat(edge: EdgeSystem) -> None:
    stats = edge.gateway_stats
    before = stats()
    answers: list[RawAnswer] = []
    flood(20, lambda: answers.append(unfinished_head(edge.gateway.port, 16 * 1024 * 1024)))
    after = settled(stats, before)
    assert len(answers) == 20
    for answer in answers:
        refused(answer, 431, "header_too_large")
    print(f"\nslow-header flood: RSS KiB {before.rss_kib} -> {after.rss_kib}, "
          f"fds {before.fds} -> {after.fds}")  # fmt: skip
    assert after.worst_rss() - before.worst_rss() < 16 * 1024
    assert after.worst_fds() <= before.worst_fds() + 4


# uvloop arms timers from the loop's cached, millisecond-truncated clock, so a
# 1 s timer can fire a fraction of a millisecond before 1 s has passed here.
TIMER_SLACK = 0.99


def test_a_slow_head_is_a_408_problem_after_the_header_timeout(edge: EdgeSystem) -> None:
    with edge.gateway_with({"limits": {"header_timeout": 1.0}}) as gateway:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as sock:
            sock.sendall(b"GET /products HTTP/1.1\r\nHost: edge\r\nX-Slow: ")
            for _ in range(3):  # a byte now and then does not extend the deadline
                time.sleep(0.3)
                sock.sendall(b"z")
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        elapsed = time.monotonic() - started
    print(f"\ntime to 408 with header_timeout = 1 s: {elapsed:.2f} s")
    refused(parse_answer(received), 408, "header_timeout")
    assert TIMER_SLACK <= elapsed < 2.5


def test_a_slow_head_after_a_first_request_on_the_connection_is_a_408(edge: EdgeSystem) -> None:
    """The header timer of a keep-alive connection's next head starts at that
    head's first byte (it is armed only when a head does not arrive whole)."""
    with (
        edge.gateway_with({"limits": {"header_timeout": 1.0, "keepalive_timeout": 5.0}}) as gw,
        socket.create_connection(("127.0.0.1", gw.port), timeout=10) as sock,
    ):
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: edge\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        time.sleep(1.5)  # idle longer than the header timeout: no head is being read
        started = time.monotonic()
        sock.sendall(b"GET /products HTTP/1.1\r\nHost: edge\r\nX-Slow: ")
        time.sleep(0.3)
        sock.sendall(b"z")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        elapsed = time.monotonic() - started
    refused(parse_answer(received), 408, "header_timeout")
    assert TIMER_SLACK <= elapsed < 2.5


def open_idle(port: int, count: int) -> list[socket.socket]:
    return [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(count)]


def answers_of(sockets: list[socket.socket]) -> list[int]:
    statuses = []
    for sock in sockets:
        with sock:
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
            statuses.append(parse_answer(data).status)
    return statuses


def test_three_thousand_idle_connections_are_bounded_and_closed(edge: EdgeSystem) -> None:
    settings = {"limits": {"header_timeout": 3.0, "max_connections": 1000}}
    with edge.gateway_with(settings) as gateway:
        stats = lambda: edge.gateway_stats(gateway)  # noqa: E731
        before = stats()
        sockets = open_idle(gateway.port, 3000)
        time.sleep(0.5)
        during = stats()
        statuses = answers_of(sockets)  # each closed by the gateway: 503 at once, or 408
        after = settled(stats, before)
    print(f"\nidle flood: fds {before.fds} -> {during.fds} (3,000 open) -> {after.fds}; "
          f"RSS KiB {before.rss_kib} -> {after.rss_kib}")  # fmt: skip
    assert set(statuses) == {408, 503}
    assert statuses.count(408) <= 1000
    assert during.worst_fds() <= before.worst_fds() + 1000 + 10
    assert after.worst_fds() <= before.worst_fds() + 4


def test_an_idle_keep_alive_connection_is_closed(edge: EdgeSystem) -> None:
    with (
        edge.gateway_with({"limits": {"keepalive_timeout": 1.0}}) as gateway,
        socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as sock,
    ):
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: edge\r\n\r\n")
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed by the gateway, without an answer
        assert time.monotonic() - started < 3


SERVICE_REFUSALS = {
    "request-line": (request("/products?q=" + "a" * LIMITS.request_line), 414, "uri_too_long"),
    "one-line": (request(headers=f"X-Big: {'b' * LIMITS.header_line}\r\n"), 431,
                 "header_too_large"),
    "count": (request(headers="".join(f"X-{i}: v\r\n" for i in range(200))), 431,
              "header_too_large"),
    "malformed": (b"GET /products HTTP/1.1\r\nHost: edge\r\nNo colon here\r\n\r\n", 400,
                  "malformed_request"),
}  # fmt: skip


@pytest.mark.parametrize(("data", "status", "code"), SERVICE_REFUSALS.values(),
                         ids=SERVICE_REFUSALS.keys())  # fmt: skip
def test_services_refuse_as_problems_not_html(
    edge: EdgeSystem, data: bytes, status: int, code: str
) -> None:
    """Called directly (an nginx deployment, a pod), gunicorn's own refusals are problems."""
    port = int(edge.service_url("catalog").rsplit(":", 1)[1])
    refused(parse_answer(exchange(port, data)), status, code)
