"""Races through the gateway: stock and idempotency hold under concurrent requests."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.security.shop import StockedShop, new_product, problem
from tests.security.system import EdgeSystem

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

ORDERS = 20
STOCK = 5
REPLAYS = 10


def test_concurrent_orders_never_oversell(edge: EdgeSystem, shop: StockedShop,
                                          gateway: httpx.Client) -> None:  # fmt: skip
    product = new_product(gateway, shop, STOCK)

    def place(index: int) -> httpx.Response:
        with httpx.Client(base_url=edge.gateway.url, timeout=60) as client:
            body = shop.order(product, note=f"race {index}")
            return client.post("/orders", json=body, headers=shop.customer_token)

    with ThreadPoolExecutor(max_workers=ORDERS) as pool:
        results = list(pool.map(place, range(ORDERS)))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201] * STOCK + [409] * (ORDERS - STOCK), [r.text[:200] for r in results]
    for refused in (r for r in results if r.status_code == 409):
        assert "in stock" in problem(refused, 409)["detail"]
    assert gateway.get(f"/products/{product}").json()["stock"] == 0


def test_one_idempotency_key_places_one_order(edge: EdgeSystem, shop: StockedShop,
                                              gateway: httpx.Client) -> None:  # fmt: skip
    product = new_product(gateway, shop, 100)
    headers = {**shop.customer_token, "Idempotency-Key": f"sec-{uuid.uuid4()}"}

    def place(_: int) -> httpx.Response:
        with httpx.Client(base_url=edge.gateway.url, timeout=60) as client:
            return client.post("/orders", json=shop.order(product), headers=headers)

    with ThreadPoolExecutor(max_workers=REPLAYS) as pool:
        results = list(pool.map(place, range(REPLAYS)))
    assert [r.status_code for r in results] == [201] * REPLAYS, [r.text[:200] for r in results]
    assert len({r.json()["id"] for r in results}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in results) == REPLAYS - 1
    assert gateway.get(f"/products/{product}").json()["stock"] == 99
