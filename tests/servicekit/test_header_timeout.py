"""A slow-header client sent straight to a service port (no gateway in front) is
answered 408 ``header_timeout`` as problem+json and closed in bounded time, by the
service's own gunicorn worker (:class:`servicekit.worker.HeadWatch`); the worker
thread it held serves others again."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from codegen.core.problems.schema import problem_violation
from tests.conftest import free_port
from tests.e2e.system import Service, service_environment, start_service, wait_ready

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
TIMEOUT = 2.0  # SPECFIRST_HEADER_TIMEOUT of the service under test
BOUND = TIMEOUT + 1.5  # the watch looks every 0.25 s; the rest is scheduling slack


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    workdir: Path = tmp_path_factory.mktemp("header-timeout")
    port = free_port()
    env = service_environment(
        {"catalog": port, "customers": free_port(), "orders": free_port()},
        {"catalog": f"sqlite:///{workdir / 'catalog.sqlite3'}"},
    )
    env["SPECFIRST_HEADER_TIMEOUT"] = str(TIMEOUT)
    service = start_service("catalog", port, env, workdir / "catalog.log")
    try:
        wait_ready(service, time.monotonic() + 90)
        yield service
    finally:
        service.stop()


def trickle(service: Service, head: bytes, every: float) -> tuple[float, bytes]:
    """Send ``head`` a byte per ``every`` seconds (it never finishes in time); the
    seconds until the service answered and closed, and what it sent."""
    port = int(service.url.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    stop = threading.Event()

    def feed() -> None:
        for byte in head:
            try:
                sock.sendall(bytes([byte]))
            except OSError:  # closed by the service
                return
            if stop.wait(every):
                return

    started = time.monotonic()
    feeder = threading.Thread(target=feed)
    feeder.start()
    answer = b""
    sock.settimeout(3 * BOUND)
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    took = time.monotonic() - started
    stop.set()
    feeder.join(timeout=5)
    sock.close()
    return took, answer


def test_a_slow_head_is_answered_408_in_bounded_time(catalog: Service) -> None:
    head = b"GET /products HTTP/1.1\r\nHost: svc\r\nX-Padding: " + b"a" * 200
    took, answer = trickle(catalog, head, every=0.2)
    assert took < BOUND, took
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 408"), answer[:200]
    headers, _, body = rest.partition(b"\r\n\r\n")
    assert b"Content-Type: application/problem+json" in headers
    problem = json.loads(body)
    assert problem["code"] == "header_timeout" and problem["status"] == 408
    assert problem_violation(problem) is None, problem


def test_a_timely_request_is_served_after_many_slow_heads(catalog: Service) -> None:
    port = int(catalog.url.rsplit(":", 1)[1])
    # more slow heads than the service has threads (2 workers x 8): each is freed in time
    slow = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(24)]
    try:
        for sock in slow:
            sock.sendall(b"GET /products HTTP/1.1\r\nHost: svc\r\n")
        time.sleep(BOUND)
        started = time.monotonic()
        response = httpx.get(f"{catalog.url}/products", timeout=10)
        assert response.status_code == 200
        assert time.monotonic() - started < BOUND
        for sock in slow:
            sock.settimeout(5)
            assert sock.recv(65536).startswith(b"HTTP/1.1 408")
    finally:
        for sock in slow:
            sock.close()
