"""Contract-test fixtures of the orders service (``specfirst test``, docs/contract-testing.md).

Orders need a customer (customers service) and an active product with stock
(catalog service); generated requests cannot invent them. This hook creates
both through the dependencies' APIs, places one order, and offers their ids
to the generated requests (and to the spec-example seeding that follows).
It speaks HTTP only and never imports Django.
"""

from __future__ import annotations

from typing import Any

STOCK = 1000


def _created(response: Any) -> dict[str, Any]:
    if response.status_code != 201:
        request = response.request
        raise RuntimeError(
            f"{request.method} {request.url}: {response.status_code} {response.text}"
        )
    data: dict[str, Any] = response.json()
    return data


def seed(api: Any) -> None:
    catalog = api.dependency("catalog")
    customers = api.dependency("customers")
    category = _created(catalog.post("/categories", json={"name": "Contract", "slug": "contract"}))
    product = _created(
        catalog.post(
            "/products",
            json={
                "sku": "CONTRACT-1",
                "name": "Contract mug",
                "category_id": category["id"],
                "price": "9.99",
                "currency": "EUR",
                "stock": STOCK,
                "status": "active",
            },
        )
    )
    customer = _created(
        customers.post(
            "/customers",
            json={
                "email": "contract-orders@example.com",
                "name": "Contract Tests",
                "password": "correct-horse-1",
            },
        )
    )
    api.remember("body.customer_id", customer["id"])
    api.remember("query.customer_id", customer["id"])
    api.remember("body.lines[*].product_id", product["id"])
    order = _created(
        api.post(
            "/orders",
            json={
                "customer_id": customer["id"],
                "lines": [{"product_id": product["id"], "quantity": 1}],
                "shipping_address": {
                    "recipient": "Contract Tests",
                    "line1": "1 Test Street",
                    "city": "London",
                    "postal_code": "SW1Y 4JH",
                    "country": "GB",
                },
                "payment": {
                    "method": "card",
                    "card_number": "4111111111111111",
                    "holder_name": "Contract Tests",
                    "expiry_month": 12,
                    "expiry_year": 2099,
                },
            },
        )
    )
    api.remember("path.orderId", order["id"])
