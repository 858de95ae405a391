"""Upstream faults: a stopped service is a 504 after the timeout, a killed one a
quick 503 (also for requests in flight), and it is back once it restarts."""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx
import pytest

from tests.e2e.system import READY_TIMEOUT, start_service, wait_ready
from tests.security.shop import API_KEY, problem
from tests.security.system import EdgeSystem

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

TIMEOUT = 2.0


def test_stopped_service_is_504_after_the_timeout(edge: EdgeSystem) -> None:
    with (
        edge.service_copy("catalog") as catalog,
        edge.gateway_with({"timeout": TIMEOUT}, upstreams={"catalog": catalog.url}) as gateway,
    ):
        assert httpx.get(f"{gateway.url}/products", timeout=10).status_code == 200
        os.killpg(catalog.process.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            response = httpx.get(f"{gateway.url}/products", timeout=10)
            elapsed = time.monotonic() - started
        finally:
            os.killpg(catalog.process.pid, signal.SIGCONT)
        problem(response, 504, "upstream_timeout")
        assert TIMEOUT <= elapsed < TIMEOUT + 1.5, elapsed
        assert httpx.get(f"{gateway.url}/products", timeout=10).status_code == 200


def test_killed_service_is_a_quick_503_and_comes_back(edge: EdgeSystem) -> None:
    with (
        edge.service_copy("catalog") as catalog,
        edge.gateway_with(upstreams={"catalog": catalog.url}) as gateway,
        httpx.Client(base_url=gateway.url, timeout=10) as client,
    ):
        assert client.get("/products").status_code == 200
        os.killpg(catalog.process.pid, signal.SIGKILL)
        catalog.process.wait(timeout=10)
        started = time.monotonic()
        response = client.get("/products")
        elapsed = time.monotonic() - started
        problem(response, 503, "upstream_unavailable")
        assert elapsed < 0.5, elapsed
        port = int(catalog.url.rsplit(":", 1)[1])
        log = edge.workdir / f"catalog-restarted-{port}.log"
        restarted = start_service("catalog", port, edge.environment, log, migrate=False)
        try:
            wait_ready(restarted, time.monotonic() + READY_TIMEOUT)
            assert client.get("/products").status_code == 200
        finally:
            restarted.stop()


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_request_in_flight_when_the_service_dies_is_503(edge: EdgeSystem, method: str) -> None:
    """Idempotent requests in flight are retried once on a fresh connection: the
    service is gone, so the answer is a 503, never a 502."""
    with (
        edge.service_copy("catalog") as catalog,
        edge.gateway_with(upstreams={"catalog": catalog.url}) as gateway,
        httpx.Client(base_url=gateway.url, timeout=30) as client,
    ):
        # several pooled upstream connections, then the service stops answering
        warm = [threading.Thread(target=client.get, args=("/products",)) for _ in range(4)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
        os.killpg(catalog.process.pid, signal.SIGSTOP)
        answers: list[httpx.Response] = []
        path = "/products/00000000-0000-4000-8000-000000000000"
        request = threading.Thread(
            target=lambda: answers.append(client.request(method, path, json={}, headers=API_KEY))
        )
        request.start()
        time.sleep(0.5)  # the request is now waiting for the stopped service
        os.killpg(catalog.process.pid, signal.SIGKILL)
        request.join(timeout=20)
        problem(answers[0], 503, "upstream_unavailable")
        assert "Future exception was never retrieved" not in gateway.output()


def test_readiness_tells_the_world_only_ready_or_not(gateway: httpx.Client) -> None:
    ready = gateway.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert "127.0.0.1" not in ready.text
