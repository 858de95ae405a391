"""Filtering and sorting of the order list, from ``listOrders``' query parameters."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import QuerySet

from orders.models import Order

SORTS: Mapping[str, tuple[str, ...]] = {
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "total": ("total", "id"),
    "-total": ("-total", "-id"),
}


def orders(
    visible: QuerySet[Order],
    *,
    customer_id: uuid.UUID | None,
    status: str | None,
    currency: str | None,
    created_after: datetime.datetime | None,
    created_before: datetime.datetime | None,
    min_total: Decimal | None,
    max_total: Decimal | None,
    sort: str | None,
) -> QuerySet[Order]:
    """The ``visible`` orders matching every given filter (``None`` = no filter), sorted."""
    found = visible
    if customer_id is not None:
        found = found.filter(customer_id=customer_id)
    if status is not None:
        found = found.filter(status=status)
    if currency is not None:
        found = found.filter(currency=currency)
    if created_after is not None:
        found = found.filter(created_at__gte=created_after)
    if created_before is not None:
        found = found.filter(created_at__lt=created_before)
    if min_total is not None:
        found = found.filter(total__gte=min_total)
    if max_total is not None:
        found = found.filter(total__lte=max_total)
    return found.prefetch_related("lines").order_by(*SORTS[sort or "-created_at"])
