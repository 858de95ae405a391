"""Filtering and sorting of the customer list, from ``listCustomers``' query parameters."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import Q, QuerySet

from customers.models import Customer

SORTS: Mapping[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "email": ("email_key", "id"),
    "-email": ("-email_key", "-id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
}


def customers(
    *,
    email: str | None,
    status: str | None,
    created_after: datetime.datetime | None,
    created_before: datetime.datetime | None,
    q: str | None,
    sort: str | None,
) -> QuerySet[Customer]:
    """Customers matching every given filter (``None`` = no filter), sorted."""
    found = Customer.objects.all()
    if email is not None:
        found = found.filter(email_key=email.lower())
    if status is not None:
        found = found.filter(status=status)
    if created_after is not None:
        found = found.filter(created_at__gte=created_after)
    if created_before is not None:
        found = found.filter(created_at__lt=created_before)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(email_key__icontains=q.lower()))
    return found.order_by(*SORTS[sort or "created_at"])
