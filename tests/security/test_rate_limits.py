"""Rate limits that hold: shared by every gateway worker through Redis."""

from __future__ import annotations

import httpx
import pytest

from tests.security.shop import problem
from tests.security.system import EdgeSystem

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

BURST = 5
REQUESTS = 24


def test_redis_buckets_are_shared_by_all_workers(edge: EdgeSystem) -> None:
    """Each request on a new connection, so both workers serve some: still
    exactly ``BURST`` pass (per-worker buckets would let up to twice as many)."""
    settings = {"rate_limit": {"rate": 0.01, "burst": BURST}}
    with edge.gateway_with(settings, workers=2) as gateway:
        statuses = []
        for _ in range(REQUESTS):
            with httpx.Client(base_url=gateway.url, timeout=10) as client:
                response = client.get("/categories")
                statuses.append(response.status_code)
                if response.status_code == 429:
                    body = problem(response, 429, "rate_limited")
                    assert int(response.headers["retry-after"]) >= 1, body
    assert statuses == [200] * BURST + [429] * (REQUESTS - BURST)
