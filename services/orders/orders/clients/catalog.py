"""Typed client of the catalog service: products and stock reservations.

Writes authenticate with ``CATALOG_API_KEY``; base URL from ``CATALOG_URL``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

import pydantic
from django.conf import settings
from servicekit.errors import Conflict, DependencyUnavailable, Unprocessable

from orders.clients._generated import catalog as models
from orders.clients.transport import call, problem_detail

SERVICE = "catalog"
Model = TypeVar("Model", bound=pydantic.BaseModel)


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """What an order needs to know about a product."""

    id: uuid.UUID
    sku: str
    name: str
    price: Decimal
    currency: str
    active: bool


def _parse(model: type[Model], payload: object, what: str) -> Model:
    try:
        return model.model_validate(payload)
    except pydantic.ValidationError as exc:
        raise DependencyUnavailable(
            f"The catalog service answered {what} that breaks its contract: "
            f"{exc.error_count()} error(s)."
        ) from None


class CatalogClient:
    """The orders service's view of the catalog."""

    def __init__(self, base_url: str | None = None, api_key: str | None = None) -> None:
        self.base_url = base_url or settings.CATALOG_URL
        self.api_key = api_key or settings.CATALOG_API_KEY

    def get_product(self, product_id: uuid.UUID) -> ProductInfo | None:
        """The product, or ``None`` when the catalog does not know it."""
        response = call(SERVICE, self.base_url, "GET", f"/products/{product_id}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DependencyUnavailable(
                f"The catalog service refused GET /products/{product_id}: "
                f"{problem_detail(response)}"
            )
        product = _parse(models.ProductResponse, response.json(), "a product")
        return ProductInfo(
            id=product.id,
            sku=product.sku,
            name=product.name,
            price=Decimal(product.price.root),
            currency=product.currency.value,
            active=product.status == models.ProductStatus.active,
        )

    def reserve(self, reference: str, lines: Sequence[tuple[uuid.UUID, int]]) -> uuid.UUID:
        """Reserve every line or none; too little stock is a :class:`Conflict`."""
        body = {
            "reference": reference,
            "lines": [{"product_id": str(pid), "quantity": qty} for pid, qty in lines],
        }
        response = call(
            SERVICE,
            self.base_url,
            "POST",
            "/stock-reservations",
            json=body,
            headers={"X-API-Key": self.api_key},
        )
        if response.status_code == 409:
            raise Conflict(problem_detail(response), title="Insufficient stock")
        if response.status_code == 422:
            raise Unprocessable(problem_detail(response))
        if response.status_code != 201:
            raise DependencyUnavailable(
                f"The catalog service refused the stock reservation: {problem_detail(response)}"
            )
        return _parse(models.StockReservationResponse, response.json(), "a reservation").id

    def release(self, reservation_id: uuid.UUID) -> None:
        """Give the reserved stock back (idempotent on the catalog's side)."""
        response = call(
            SERVICE,
            self.base_url,
            "POST",
            f"/stock-reservations/{reservation_id}/release",
            headers={"X-API-Key": self.api_key},
        )
        if response.status_code not in (200, 404):
            raise DependencyUnavailable(
                f"The catalog service refused to release reservation {reservation_id}: "
                f"{problem_detail(response)}"
            )
