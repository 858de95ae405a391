"""The page envelope every list operation answers: ``{items, total, limit, offset}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypedDict, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
T = TypeVar("T")


class Page(TypedDict, Generic[T]):
    """The envelope; structurally the generated ``replies.<Name>Page`` of its items."""

    items: list[T]
    total: int
    limit: int
    offset: int


def page(
    queryset: QuerySet[M],
    limit: int,
    offset: int,
    render: Callable[[M], T],
) -> Page[T]:
    """One page of ``queryset`` (already filtered and ordered), each item rendered.

    ``page(Product.objects.order_by("name"), 2, 0, to_json)`` ->
    ``{"items": [{...}, {...}], "total": 7, "limit": 2, "offset": 0}``
    """
    total = queryset.count()
    items = [render(obj) for obj in queryset[offset : offset + limit]] if offset < total else []
    return {"items": items, "total": total, "limit": limit, "offset": offset}
