"""The shop scenario of issue 3, run against real service processes.

Create a category, products and a customer; place orders and check totals
and stock; replay an idempotent order; change stock under optimistic
concurrency; race 20 orders for 5 units; cancel; take a dependency down.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from codegen.core.auth.defaults import DEV_API_KEY
from tests.e2e.system import System
from tests.services.tokens import bearer

API_KEY = {"X-API-Key": DEV_API_KEY}
ADMIN = bearer("e2e-admin", "admin", lifetime=3600)
ADDRESS = {"line1": "1 Main St", "city": "London", "postal_code": "SW1A 1AA", "country": "GB"}
VOUCHER = {"method": "voucher", "code": "GIFT-2024"}
CONCURRENT_ORDERS = 20
RACED_STOCK = 5


def ok(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json() if response.content else None


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@dataclass
class Shop:
    system: System
    catalog: httpx.Client
    customers: httpx.Client
    orders: httpx.Client
    mug: str = ""
    plate: str = ""
    customer: str = ""

    @property
    def me(self) -> dict[str, str]:
        return bearer(self.customer, lifetime=3600)

    def stock(self, product_id: str) -> int:
        return int(ok(self.catalog.get(f"/products/{product_id}"), 200)["stock"])

    def order(self, *lines: tuple[str, int], note: str = "") -> dict[str, Any]:
        return {
            "customer_id": self.customer,
            "lines": [{"product_id": pid, "quantity": qty} for pid, qty in lines],
            "shipping_address": ADDRESS,
            "payment": VOUCHER,
            "note": note,
        }


def stock_the_shop(shop: Shop) -> None:
    category = {"name": "Kitchen", "slug": "kitchen"}
    category_id = ok(shop.catalog.post("/categories", json=category, headers=API_KEY), 201)["id"]
    common = {"category_id": category_id, "currency": "EUR", "status": "active"}
    mug = {**common, "sku": "MUG-01", "name": "Mug", "price": "9.50", "stock": 5}
    plate = {**common, "sku": "PLATE-01", "name": "Plate", "price": "4.25", "stock": 100}
    shop.mug = ok(shop.catalog.post("/products", json=mug, headers=API_KEY), 201)["id"]
    shop.plate = ok(shop.catalog.post("/products", json=plate, headers=API_KEY), 201)["id"]
    ada = {"email": "ada@example.com", "name": "Ada", "password": "correct horse"}
    shop.customer = ok(shop.customers.post("/customers", json=ada, headers=ADMIN), 201)["id"]


def order_and_cancel(shop: Shop) -> None:
    """Orders are priced from the catalog and reserve stock; cancelling returns it once."""
    first = ok(
        shop.orders.post(
            "/orders", json=shop.order((shop.mug, 2), (shop.plate, 3)), headers=shop.me
        ),
        201,
    )
    assert first["total"] == "31.75"
    assert [line["line_total"] for line in first["lines"]] == ["19.00", "12.75"]
    assert (shop.stock(shop.mug), shop.stock(shop.plate)) == (3, 97)
    assert ok(shop.orders.get(f"/orders/{first['id']}", headers=shop.me), 200) == first
    ok(shop.orders.post(f"/orders/{first['id']}/cancel", headers=shop.me), 200)
    problem(shop.orders.post(f"/orders/{first['id']}/cancel", headers=shop.me), 409)
    assert (shop.stock(shop.mug), shop.stock(shop.plate)) == (5, 100)


def replay_idempotently(shop: Shop) -> None:
    """A replay answers the original order and places nothing; another body is 422."""
    keyed = {**shop.me, "Idempotency-Key": f"e2e-{uuid.uuid4()}"}
    once = shop.orders.post("/orders", json=shop.order((shop.mug, 1)), headers=keyed)
    again = shop.orders.post("/orders", json=shop.order((shop.mug, 1)), headers=keyed)
    assert ok(again, 201) == ok(once, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    problem(shop.orders.post("/orders", json=shop.order((shop.mug, 2)), headers=keyed), 422)
    assert shop.stock(shop.mug) == 4


def replay_concurrently(shop: Shop) -> None:
    """Concurrent first uses of one key place one order; every caller gets that order."""
    keyed = {**shop.me, "Idempotency-Key": f"e2e-{uuid.uuid4()}"}
    placed_before = ok(shop.orders.get("/orders", headers=shop.me), 200)["total"]

    def place(_: int) -> httpx.Response:
        with httpx.Client(base_url=shop.system.url("orders"), timeout=60) as client:
            return client.post("/orders", json=shop.order((shop.plate, 1)), headers=keyed)

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(place, range(5)))
    assert {ok(r, 201)["id"] for r in results} == {results[0].json()["id"]}
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in results) == 4
    assert ok(shop.orders.get("/orders", headers=shop.me), 200)["total"] == placed_before + 1
    assert shop.stock(shop.plate) == 99


def set_stock_with_if_match(shop: Shop, stock: int) -> None:
    """Optimistic concurrency: If-Match with the current ETag; stale is 412, none is 428."""
    path = f"/products/{shop.mug}"
    etag = shop.catalog.get(path).headers["ETag"]
    ok(shop.catalog.patch(path, json={"stock": stock}, headers={**API_KEY, "If-Match": etag}), 200)
    stale = {**API_KEY, "If-Match": etag}
    problem(shop.catalog.patch(path, json={"stock": 50}, headers=stale), 412)
    problem(shop.catalog.patch(path, json={"stock": 50}, headers=API_KEY), 428)


def read_conditionally(shop: Shop) -> None:
    """A read with the current ETag (or Last-Modified) is 304 with no body; a stale one is 200."""
    path = f"/products/{shop.mug}"
    current = shop.catalog.get(path)
    assert current.status_code == 200, current.text
    etag, modified = current.headers["ETag"], current.headers["Last-Modified"]
    for headers in ({"If-None-Match": f"W/{etag}"}, {"If-Modified-Since": modified}):
        unchanged = shop.catalog.get(path, headers=headers)
        assert unchanged.status_code == 304, unchanged.text
        assert unchanged.content == b"" and unchanged.headers["ETag"] == etag
        assert unchanged.headers.get("content-length") in (None, current.headers["content-length"])
    assert shop.catalog.get(path, headers={"If-None-Match": '"stale"'}).json() == current.json()


def race_for_the_last_units(shop: Shop) -> None:
    """20 concurrent orders for 5 units: exactly 5 succeed, the rest get a 409 problem."""
    placed_before = ok(shop.orders.get("/orders?status=placed", headers=shop.me), 200)["total"]

    def place(index: int) -> httpx.Response:
        with httpx.Client(base_url=shop.system.url("orders"), timeout=60) as client:
            body = shop.order((shop.mug, 1), note=f"race {index}")
            return client.post("/orders", json=body, headers=shop.me)

    with ThreadPoolExecutor(max_workers=CONCURRENT_ORDERS) as pool:
        results = list(pool.map(place, range(CONCURRENT_ORDERS)))
    statuses = sorted(r.status_code for r in results)
    unexpected = [(r.status_code, r.text[:200]) for r in results if r.status_code not in (201, 409)]
    assert statuses == [201] * RACED_STOCK + [409] * (CONCURRENT_ORDERS - RACED_STOCK), unexpected
    for refused in (r for r in results if r.status_code == 409):
        assert "in stock" in problem(refused, 409)["detail"]
    assert shop.stock(shop.mug) == 0
    placed = ok(shop.orders.get("/orders?status=placed", headers=shop.me), 200)["total"]
    assert placed == placed_before + RACED_STOCK


def dependency_down(shop: Shop) -> None:
    """A dependency that is down is a clear 503 problem, not a hang or a 500."""
    shop.system.services["catalog"].stop()
    down = shop.orders.post("/orders", json=shop.order((shop.plate, 1)), headers=shop.me)
    assert "catalog" in problem(down, 503)["detail"]


def run_shop_scenario(system: System) -> None:
    with (
        httpx.Client(base_url=system.url("catalog"), timeout=30) as catalog,
        httpx.Client(base_url=system.url("customers"), timeout=30) as customers,
        httpx.Client(base_url=system.url("orders"), timeout=30) as orders,
    ):
        shop = Shop(system, catalog, customers, orders)
        stock_the_shop(shop)
        order_and_cancel(shop)
        replay_idempotently(shop)
        replay_concurrently(shop)
        set_stock_with_if_match(shop, RACED_STOCK)
        read_conditionally(shop)
        race_for_the_last_units(shop)
        dependency_down(shop)
