"""Every orders operation, with each error response it declares.

Catalog and customers answer in-process (``in_process_dependencies``), so
these tests exercise the real HTTP clients and the real stock reservation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from orders.clients import transport
from orders.models import Order

from tests.services.conftest import (
    API_KEY,
    Api,
    Seed,
    create_category,
    create_customer,
    create_product,
    new_id,
)
from tests.services.problems import assert_problem

Token = Callable[..., dict[str, str]]
ADDRESS = {"line1": "1 Main St", "city": "London", "postal_code": "SW1A 1AA", "country": "GB"}
CARD = {
    "method": "card",
    "card_number": "4111111111111111",
    "holder_name": "Ada Lovelace",
    "expiry_month": 12,
    "expiry_year": 2030,
}


@pytest.fixture
def shop(api: Api, in_process_dependencies: None, catalog_seed: Seed) -> dict[str, Any]:
    customer = create_customer(api)
    return {"seed": catalog_seed, "customer": customer}


def order_body(shop: dict[str, Any], *lines: tuple[str, int], **extra: Any) -> dict[str, Any]:
    seed: Seed = shop["seed"]
    chosen = lines or ((seed.mug_id, 2), (seed.plate_id, 1))
    return {
        "customer_id": shop["customer"]["id"],
        "lines": [{"product_id": pid, "quantity": qty} for pid, qty in chosen],
        "shipping_address": ADDRESS,
        "payment": CARD,
        **extra,
    }


def me(shop: dict[str, Any], customer_token: Token) -> dict[str, str]:
    return customer_token(shop["customer"]["id"])


def stock(api: Api, product_id: str) -> int:
    return int(api.call("GET", f"/products/{product_id}").json()["stock"])


def place(api: Api, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return api.call("POST", "/orders", body, headers)


def test_place_order_prices_reserves_and_hides_the_card(
    api: Api, shop: dict[str, Any], customer_token: Token
) -> None:
    seed: Seed = shop["seed"]
    response = place(api, order_body(shop), me(shop, customer_token))
    assert response.status_code == 201, response.content
    order = response.json()
    assert response["Location"] == f"/orders/{order['id']}"
    assert response["ETag"]
    assert order["status"] == "placed" and order["cancelled_at"] is None
    assert order["currency"] == "EUR"
    assert [(line["sku"], line["unit_price"], line["line_total"]) for line in order["lines"]] == [
        ("MUG-01", "9.50", "19.00"),
        ("PLATE-01", "4.25", "4.25"),
    ]
    assert order["total"] == "23.25"
    assert order["payment"] == {
        "method": "card",
        "holder_name": "Ada Lovelace",
        "expiry_month": 12,
        "expiry_year": 2030,
        "brand": "visa",
        "last4": "1111",
    }
    assert "4111111111111111" not in response.content.decode()
    assert (stock(api, seed.mug_id), stock(api, seed.plate_id)) == (3, 9)
    read = api.call("GET", response["Location"], headers=me(shop, customer_token))
    assert read.json() == order


@pytest.mark.parametrize(
    ("payment", "shown"),
    [
        (
            {"method": "bank_transfer", "iban": "GB82WEST12345698765432"},
            {"method": "bank_transfer", "iban": "GB82WEST12345698765432"},
        ),
        ({"method": "voucher", "code": "GIFT-2024"}, {"method": "voucher", "code": "GIFT-2024"}),
    ],
)
def test_other_payment_methods(
    api: Api, shop: dict[str, Any], customer_token: Token, payment: Any, shown: Any
) -> None:
    response = place(api, order_body(shop, payment=payment), me(shop, customer_token))
    assert response.status_code == 201, response.content
    stored = response.json()["payment"]
    reference = stored.pop("reference", None)
    assert stored == shown
    assert (reference is not None) is (payment["method"] == "bank_transfer")


def test_idempotent_replay_places_one_order(
    api: Api, shop: dict[str, Any], customer_token: Token
) -> None:
    seed: Seed = shop["seed"]
    headers = {**me(shop, customer_token), "Idempotency-Key": "order-attempt-0001"}
    first = place(api, order_body(shop), headers)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    replay = place(api, order_body(shop), headers)
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert replay["Location"] == first["Location"]
    assert Order.objects.count() == 1
    assert stock(api, seed.mug_id) == 3
    changed = place(api, order_body(shop, note="leave at the door"), headers)
    assert_problem(changed, 422, "Idempotency-Key")
    assert Order.objects.count() == 1


def test_failed_attempt_does_not_burn_the_key(
    api: Api, shop: dict[str, Any], customer_token: Token
) -> None:
    seed: Seed = shop["seed"]
    headers = {**me(shop, customer_token), "Idempotency-Key": "order-attempt-0002"}
    assert_problem(place(api, order_body(shop, (seed.mug_id, 6)), headers), 409)
    api.call("PATCH", f"/products/{seed.mug_id}", {"stock": 6}, {**API_KEY, "If-Match": "*"})
    assert place(api, order_body(shop, (seed.mug_id, 6)), headers).status_code == 201


def test_place_order_errors(
    api: Api, shop: dict[str, Any], customer_token: Token, admin: dict[str, str]
) -> None:
    seed: Seed = shop["seed"]
    mine = me(shop, customer_token)
    assert_problem(place(api, order_body(shop, lines=[]), mine), 400)
    for payment in ([None, None], "card", None):  # not an object: no alternative matches
        assert_problem(place(api, order_body(shop, payment=payment), mine), 400)
    assert_problem(place(api, order_body(shop), {}), 401)
    assert_problem(place(api, order_body(shop), customer_token(new_id())), 403)
    assert_problem(place(api, order_body(shop, (seed.mug_id, 6)), mine), 409, "Only 5")
    text = api.call("POST", "/orders", raw="x", content_type="text/plain", headers=mine)
    assert_problem(text, 415)
    stranger = order_body(shop, customer_id=new_id())
    assert_problem(place(api, stranger, admin), 422, "no customer")
    assert_problem(place(api, order_body(shop, (new_id(), 1)), mine), 422, "no product")
    garden = create_category(api, "garden")
    dollars = create_product(api, garden["id"], "HOSE-01", currency="USD")
    mixed = order_body(shop, (seed.mug_id, 1), (dollars["id"], 1))
    assert_problem(place(api, mixed, mine), 422, "currency")
    assert (stock(api, seed.mug_id), stock(api, dollars["id"])) == (5, 5)


def test_suspended_customer_cannot_order(
    api: Api, shop: dict[str, Any], admin: dict[str, str]
) -> None:
    path = f"/customers/{shop['customer']['id']}"
    api.call("PATCH", path, {"status": "suspended"}, {**admin, "If-Match": "*"})
    assert_problem(place(api, order_body(shop), admin), 422, "suspended")


def _failing_dependencies(settings: Any, error: Exception) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    settings.ORDERS_DEPENDENCY_TRANSPORT = httpx.MockTransport(fail)
    transport._client.cache_clear()


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (httpx.ConnectError("connection refused"), 503),
        (httpx.ReadTimeout("timed out"), 504),
    ],
)
def test_place_order_with_dependency_down_or_slow(
    api: Api,
    shop: dict[str, Any],
    *,
    customer_token: Token,
    settings: Any,
    error: Exception,
    status: int,
) -> None:
    _failing_dependencies(settings, error)
    body = assert_problem(place(api, order_body(shop), me(shop, customer_token)), status)
    assert "customers service" in body["detail"]
    assert Order.objects.count() == 0


def test_dependency_answering_5xx_is_503(
    api: Api, shop: dict[str, Any], customer_token: Token, settings: Any
) -> None:
    settings.ORDERS_DEPENDENCY_TRANSPORT = httpx.MockTransport(
        lambda request: httpx.Response(500, json={"status": 500})
    )
    transport._client.cache_clear()
    assert_problem(place(api, order_body(shop), me(shop, customer_token)), 503)


def test_list_orders(
    api: Api, shop: dict[str, Any], customer_token: Token, admin: dict[str, str]
) -> None:
    seed: Seed = shop["seed"]
    mine = me(shop, customer_token)
    small = place(api, order_body(shop, (seed.plate_id, 1)), mine).json()
    big = place(api, order_body(shop, (seed.mug_id, 3)), mine).json()
    other = create_customer(api, "grace@example.com")
    theirs = place(api, order_body(shop, (seed.plate_id, 2), customer_id=other["id"]), admin)
    assert theirs.status_code == 201

    def ids(query: str, headers: dict[str, str]) -> list[str]:
        response = api.call("GET", f"/orders?{query}", headers=headers)
        assert response.status_code == 200, response.content
        return [o["id"] for o in response.json()["items"]]

    assert ids("sort=total", mine) == [small["id"], big["id"]]
    assert ids("sort=-total", mine) == [big["id"], small["id"]]
    assert len(ids("", admin)) == 3
    assert ids(f"customer_id={other['id']}", admin) == [theirs.json()["id"]]
    assert ids("min_total=10.00", mine) == [big["id"]]
    assert ids("max_total=5.00", mine) == [small["id"]]
    assert ids("status=cancelled", mine) == []
    assert ids("currency=USD", admin) == []
    assert len(ids("currency=EUR", admin)) == 3
    assert ids("created_before=2000-01-01T00:00:00Z", admin) == []
    page = api.call("GET", "/orders?limit=1", headers=admin).json()
    assert (len(page["items"]), page["total"]) == (1, 3)
    assert_problem(api.call("GET", "/orders?sort=price", headers=mine), 400)
    assert_problem(api.call("GET", "/orders"), 401)


def test_get_order(
    api: Api, shop: dict[str, Any], customer_token: Token, admin: dict[str, str]
) -> None:
    order = place(api, order_body(shop), me(shop, customer_token)).json()
    path = f"/orders/{order['id']}"
    assert api.call("GET", path, headers=admin).status_code == 200
    assert_problem(api.call("GET", path), 401)
    assert_problem(api.call("GET", path, headers=customer_token(new_id())), 403)
    assert_problem(api.call("GET", f"/orders/{new_id()}", headers=admin), 404)


def test_update_order(api: Api, shop: dict[str, Any], customer_token: Token) -> None:
    mine = me(shop, customer_token)
    order = place(api, order_body(shop), mine)
    path = order["Location"]
    headers = {**mine, "If-Match": order["ETag"]}
    changed = api.call("PATCH", path, {"note": "ring twice"}, headers)
    assert changed.status_code == 200, changed.content
    assert changed.json()["note"] == "ring twice"
    assert_problem(api.call("PATCH", path, {"note": "again"}, headers), 412)


def test_update_order_errors(
    api: Api, shop: dict[str, Any], customer_token: Token, admin: dict[str, str]
) -> None:
    mine = me(shop, customer_token)
    placed = place(api, order_body(shop), mine)
    path, etag = placed["Location"], placed["ETag"]
    headers = {**mine, "If-Match": etag}
    assert_problem(api.call("PATCH", path, {}, headers), 400)
    assert_problem(api.call("PATCH", path, {"note": "x"}, {"If-Match": etag}), 401)
    other = {**customer_token(new_id()), "If-Match": etag}
    assert_problem(api.call("PATCH", path, {"note": "x"}, other), 403)
    assert_problem(api.call("PATCH", f"/orders/{new_id()}", {"note": "x"}, headers), 404)
    text = api.call("PATCH", path, raw="x", content_type="text/plain", headers=headers)
    assert_problem(text, 415)
    assert_problem(api.call("PATCH", path, {"note": "x"}, mine), 428)
    cancelled = api.call("POST", f"{path}/cancel", headers=mine)
    assert cancelled.status_code == 200
    late = {**mine, "If-Match": cancelled["ETag"]}
    assert_problem(api.call("PATCH", path, {"note": "x"}, late), 409, "cancelled")


def test_cancel_order_returns_stock_once(
    api: Api, shop: dict[str, Any], customer_token: Token
) -> None:
    seed: Seed = shop["seed"]
    mine = me(shop, customer_token)
    path = place(api, order_body(shop), mine)["Location"]
    assert stock(api, seed.mug_id) == 3
    cancelled = api.call("POST", f"{path}/cancel", headers=mine)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_at"]
    assert (stock(api, seed.mug_id), stock(api, seed.plate_id)) == (5, 10)
    assert_problem(api.call("POST", f"{path}/cancel", headers=mine), 409, "already cancelled")
    assert (stock(api, seed.mug_id), stock(api, seed.plate_id)) == (5, 10)


def test_cancel_order_errors(
    api: Api, shop: dict[str, Any], customer_token: Token, settings: Any
) -> None:
    mine = me(shop, customer_token)
    path = place(api, order_body(shop), mine)["Location"]
    assert_problem(api.call("POST", f"{path}/cancel"), 401)
    assert_problem(api.call("POST", f"{path}/cancel", headers=customer_token(new_id())), 403)
    assert_problem(api.call("POST", f"/orders/{new_id()}/cancel", headers=mine), 404)
    _failing_dependencies(settings, httpx.ConnectError("refused"))
    assert_problem(api.call("POST", f"{path}/cancel", headers=mine), 503, "catalog service")
    _failing_dependencies(settings, httpx.ReadTimeout("slow"))
    assert_problem(api.call("POST", f"{path}/cancel", headers=mine), 504, "catalog service")
    assert Order.objects.get().status == "placed"
