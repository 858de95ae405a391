"""Catalog models -> the JSON shapes of specs/catalog.yaml (plain dicts).

Money is rendered as a decimal string with two fraction digits
(``Decimal("5")`` -> ``"5.00"``); ids and timestamps stay ``UUID`` and
``datetime`` for the contract runtime to write as text.
"""

from __future__ import annotations

from decimal import Decimal

from servicekit.conditional import make_etag, make_last_modified

from catalog.api._generated import replies
from catalog.models import Category, Product, StockReservation


def money(value: Decimal) -> str:
    """``money(Decimal("12.5"))`` -> ``"12.50"``."""
    return f"{value:.2f}"


def etag(resource: Category | Product) -> str:
    return make_etag(resource.pk, resource.version)


def product_validators(product: Product) -> dict[str, str]:
    """The ``ETag`` and ``Last-Modified`` headers of a product read."""
    return {"ETag": etag(product), "Last-Modified": make_last_modified(product.updated_at)}


def category_json(category: Category) -> replies.Category:
    return {
        "id": category.pk,
        "name": category.name,
        "slug": category.slug,
        "description": category.description,
        "parent_id": category.parent_id,
        "created_at": category.created_at,
        "updated_at": category.updated_at,
    }


def product_json(product: Product) -> replies.Product:
    data: replies.Product = {
        "id": product.pk,
        "sku": product.sku,
        "name": product.name,
        "description": product.description,
        "category_id": product.category_id,
        "price": money(product.price),
        "currency": product.currency,
        "stock": product.stock,
        "status": product.status,
        "tags": list(product.tags),
        "attributes": list(product.attributes),
        "created_at": product.created_at,
        "updated_at": product.updated_at,
    }
    if product.dimensions is not None:
        data["dimensions"] = product.dimensions
    return data


def reservation_json(reservation: StockReservation) -> replies.StockReservation:
    return {
        "id": reservation.pk,
        "reference": reservation.reference,
        "status": reservation.status,
        "lines": [
            {"product_id": line.product_id, "quantity": line.quantity}
            for line in reservation.lines.all()
        ],
        "created_at": reservation.created_at,
        "released_at": reservation.released_at,
    }
