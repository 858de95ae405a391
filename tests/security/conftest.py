"""Fixtures of the adversarial suite: the real system, started once per test process.

``edge`` is an :class:`tests.security.system.EdgeSystem`: the three services on
PostgreSQL (one database each) behind a two-worker gateway with Redis rate
limits. It needs PostgreSQL and Redis on 127.0.0.1 (skipped with a reason
where they are absent, a failure under ``SPECFIRST_REQUIRE_SERVICES=1``).
``shop`` stocks it once with a category, products and a customer.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import require_service
from tests.security.shop import StockedShop, stock
from tests.security.system import EdgeSystem, edge_system


@pytest.fixture(scope="session")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EdgeSystem]:
    require_service("PostgreSQL", 5432)
    require_service("Redis", 6379)
    workdir = tmp_path_factory.mktemp("security")
    with edge_system(
        workdir, "postgres://postgres@127.0.0.1:5432", "redis://127.0.0.1:6379/0"
    ) as system:
        yield system


@pytest.fixture(scope="session")
def shop(edge: EdgeSystem) -> StockedShop:
    return stock(edge)


@pytest.fixture
def gateway(edge: EdgeSystem) -> Iterator[httpx.Client]:
    """A client of the shared gateway."""
    with httpx.Client(base_url=edge.gateway.url, timeout=30) as client:
        yield client
