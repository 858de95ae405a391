"""Filtering and sorting of catalog lists, from the list operations' query parameters."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import Q, QuerySet

from catalog.models import Category, Product

CATEGORY_SORTS: Mapping[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
}
PRODUCT_SORTS: Mapping[str, tuple[str, ...]] = {
    **CATEGORY_SORTS,
    "price": ("price", "id"),
    "-price": ("-price", "-id"),
}


def categories(
    *, parent_id: uuid.UUID | None, q: str | None, sort: str | None
) -> QuerySet[Category]:
    """``categories(parent_id=None, q="kit", sort="-name")`` -> matching categories, Z to A."""
    found = Category.objects.all()
    if parent_id is not None:
        found = found.filter(parent_id=parent_id)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(slug__icontains=q))
    return found.order_by(*CATEGORY_SORTS[sort or "name"])


def products(
    *,
    category_id: uuid.UUID | None,
    status: str | None,
    min_price: Decimal | None,
    max_price: Decimal | None,
    in_stock: bool | None,
    q: str | None,
    sort: str | None,
) -> QuerySet[Product]:
    """Products matching every given filter (``None`` = no filter), sorted."""
    found = Product.objects.all()
    if category_id is not None:
        found = found.filter(category_id=category_id)
    if status is not None:
        found = found.filter(status=status)
    if min_price is not None:
        found = found.filter(price__gte=min_price)
    if max_price is not None:
        found = found.filter(price__lte=max_price)
    if in_stock is not None:
        found = found.filter(stock__gt=0) if in_stock else found.filter(stock=0)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(sku__icontains=q))
    return found.order_by(*PRODUCT_SORTS[sort or "name"])
