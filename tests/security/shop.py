"""Data for the attacks, created through the gateway, and assertions on answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from codegen.core.auth.defaults import DEV_API_KEY
from codegen.core.problems.schema import problem_violation
from tests.e2e.scenario import ADDRESS, VOUCHER
from tests.security.system import ADMIN, EdgeSystem
from tests.services.tokens import bearer

API_KEY = {"X-API-Key": DEV_API_KEY}
PROBLEM = "application/problem+json"


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status (and stable ``code``); return it."""
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == PROBLEM, response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body.get("detail"), str) and body["detail"]
    assert problem_violation(body) is None, body
    if code is not None:
        assert body["code"] == code, body
    return body


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, (response.status_code, response.text[:300])
    body: dict[str, Any] = response.json()
    return body


@dataclass(frozen=True)
class StockedShop:
    """A category and a customer that attacks can build on."""

    category: str
    customer: str

    @property
    def customer_token(self) -> dict[str, str]:
        return bearer(self.customer, lifetime=3600)

    def order(self, product: str, quantity: int = 1, note: str = "") -> dict[str, Any]:
        return {
            "customer_id": self.customer,
            "lines": [{"product_id": product, "quantity": quantity}],
            "shipping_address": ADDRESS,
            "payment": VOUCHER,
            "note": note,
        }


def stock(edge: EdgeSystem) -> StockedShop:
    """One category and one customer, through the gateway."""
    with httpx.Client(base_url=edge.gateway.url, timeout=30) as client:
        slug = f"sec-{uuid.uuid4().hex[:8]}"
        category = {"name": "Security", "slug": slug}
        category_id = created(client.post("/categories", json=category, headers=API_KEY))["id"]
        person = {"email": f"{slug}@example.com", "name": "Eve", "password": "correct horse"}
        customer = created(client.post("/customers", json=person, headers=ADMIN))["id"]
    return StockedShop(category_id, customer)


def new_product(client: httpx.Client, shop: StockedShop, stock_level: int) -> str:
    """A fresh active product with ``stock_level`` units."""
    sku = f"SEC-{uuid.uuid4().hex[:10].upper()}"
    body = {"category_id": shop.category, "currency": "EUR", "status": "active", "sku": sku,
            "name": "Widget", "price": "2.50", "stock": stock_level}  # fmt: skip
    return str(created(client.post("/products", json=body, headers=API_KEY))["id"])
