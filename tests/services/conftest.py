"""Fixtures for the services' API tests (one Django test process, three apps).

* ``api``: a DRF test client whose ``.call(method, path, json=..., headers=...)``
  speaks JSON;
* ``admin``, ``customer_token(id)``, ``api_key``: request headers with credentials;
* ``in_process_dependencies``: orders' HTTP calls to catalog and customers are
  served in-process by the same Django project (same test database);
* ``catalog_seed``: a category and two active products, through the API.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from django.test import Client
from orders.clients import transport
from rest_framework.test import APIClient

from codegen.core.auth.defaults import DEV_API_KEY
from tests.services.tokens import bearer

API_KEY = {"X-API-Key": DEV_API_KEY}


class Api:
    """JSON calls against the in-process services."""

    def __init__(self) -> None:
        self.client = APIClient()

    def call(
        self,
        method: str,
        path: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        *,
        content_type: str | None = None,
        raw: bytes | str | None = None,
    ) -> Any:
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if raw is not None:
            kwargs.update(data=raw, content_type=content_type or "application/octet-stream")
        elif json is not None:
            kwargs.update(data=json, format="json")
        return getattr(self.client, method.lower())(path, **kwargs)


@pytest.fixture
def api(db: None) -> Api:
    return Api()


@pytest.fixture
def api_key() -> dict[str, str]:
    return dict(API_KEY)


@pytest.fixture
def admin() -> dict[str, str]:
    return bearer("admin-1", "admin")


@pytest.fixture
def customer_token() -> Callable[[object], dict[str, str]]:
    def make(customer_id: object, scopes: str = "") -> dict[str, str]:
        return bearer(str(customer_id), scopes)

    return make


def django_transport() -> httpx.MockTransport:
    """An httpx transport that answers through Django's test client (same DB, same thread)."""
    django_client = Client()

    def handle(request: httpx.Request) -> httpx.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host",)}
        response = django_client.generic(
            request.method,
            request.url.raw_path.decode(),
            data=request.content,
            content_type=request.headers.get("content-type", ""),
            headers=headers,
            SERVER_NAME=request.url.host,
        )
        return httpx.Response(
            response.status_code, headers=dict(response.items()), content=response.content
        )

    return httpx.MockTransport(handle)


@pytest.fixture
def in_process_dependencies(db: None, settings: Any) -> Iterator[None]:
    settings.ORDERS_DEPENDENCY_TRANSPORT = django_transport()
    transport._client.cache_clear()
    yield
    transport._client.cache_clear()


@dataclass
class Seed:
    category_id: str
    mug_id: str
    plate_id: str


def create_category(api: Api, slug: str = "kitchen", **extra: Any) -> dict[str, Any]:
    response = api.call(
        "POST", "/categories", {"name": slug.title(), "slug": slug, **extra}, API_KEY
    )
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def product_body(category_id: str, sku: str, **extra: Any) -> dict[str, Any]:
    return {
        "sku": sku,
        "name": f"Product {sku}",
        "category_id": category_id,
        "price": "9.50",
        "currency": "EUR",
        "stock": 5,
        "status": "active",
        **extra,
    }


def create_product(api: Api, category_id: str, sku: str, **extra: Any) -> dict[str, Any]:
    response = api.call("POST", "/products", product_body(category_id, sku, **extra), API_KEY)
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def catalog_seed(api: Api) -> Seed:
    category = create_category(api)
    mug = create_product(api, category["id"], "MUG-01", price="9.50", stock=5)
    plate = create_product(api, category["id"], "PLATE-01", price="4.25", stock=10)
    return Seed(category["id"], mug["id"], plate["id"])


def customer_body(email: str = "ada@example.com", **extra: Any) -> dict[str, Any]:
    return {"email": email, "name": "Ada Lovelace", "password": "correct horse", **extra}


def create_customer(api: Api, email: str = "ada@example.com", **extra: Any) -> dict[str, Any]:
    response = api.call(
        "POST", "/customers", customer_body(email, **extra), bearer("admin-1", "admin")
    )
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def new_id() -> str:
    return str(uuid.uuid4())
