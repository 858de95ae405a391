"""Business rules of the catalog, independent of HTTP.

Functions take the typed request bodies (:mod:`catalog.api._generated.bodies`)
and model instances, return model instances, and raise :mod:`servicekit.errors`
on rule violations. A body holds only the members the spec declares, so what is
stored is exactly what the spec describes (:func:`~servicekit.contract.records.plain`
gives a body's sent members as model values). Changes are conditional on the
version the caller read, and stock only ever moves through single conditional
``UPDATE`` statements, so the rules hold under concurrency on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from servicekit.contract.records import ABSENT, plain
from servicekit.errors import Conflict, NotFound, StaleVersion, Unprocessable

from catalog.api._generated import bodies
from catalog.models import (
    Category,
    Product,
    ProductStatus,
    ReservationStatus,
    StockReservation,
    StockReservationLine,
)


def get_category(category_id: uuid.UUID) -> Category:
    try:
        return Category.objects.get(pk=category_id)
    except Category.DoesNotExist:
        raise NotFound(f"There is no category {category_id}.") from None


def get_product(product_id: uuid.UUID) -> Product:
    try:
        return Product.objects.get(pk=product_id)
    except Product.DoesNotExist:
        raise NotFound(f"There is no product {product_id}.") from None


def _check_parent(category_id: uuid.UUID | None, parent_id: uuid.UUID | None) -> None:
    """A parent must exist and must not be the category itself or one of its descendants."""
    seen: set[uuid.UUID] = set()
    current = parent_id
    while current is not None:
        if current == category_id:
            raise Unprocessable("A category cannot be its own ancestor.")
        if current in seen:  # pragma: no cover - the rule above keeps the tree acyclic
            break
        seen.add(current)
        parent = Category.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        if parent is None and not Category.objects.filter(pk=current).exists():
            raise Unprocessable(f"The parent category {current} does not exist.")
        current = parent


def _check_category(category_id: uuid.UUID) -> None:
    if not Category.objects.filter(pk=category_id).exists():
        raise Unprocessable(f"The category {category_id} does not exist.")


def _unique_violation(field: str, value: object) -> Conflict:
    return Conflict(f"Another resource already uses {field} {value!r}.")


def create_category(data: bodies.Category) -> Category:
    """Create a category; a used slug is a :class:`Conflict`."""
    parent_id = None if data.parent_id is ABSENT else data.parent_id
    _check_parent(None, parent_id)
    try:
        with transaction.atomic():
            return Category.objects.create(
                name=data.name, slug=data.slug, description=data.description, parent_id=parent_id
            )
    except IntegrityError:
        raise _unique_violation("slug", data.slug) from None


def update_category(category: Category, changes: bodies.CategoryPatch) -> Category:
    """Apply ``changes`` if ``category`` is still at the version that was read."""
    if changes.parent_id is not ABSENT:
        _check_parent(category.pk, changes.parent_id)
    _conditional_update(Category, category, plain(changes), "slug")
    return get_category(category.pk)


def delete_category(category_id: uuid.UUID) -> None:
    """Delete an empty category; one with products or children is a :class:`Conflict`."""
    category = get_category(category_id)
    try:
        with transaction.atomic():
            category.delete()
    except ProtectedError:
        raise Conflict(
            f"The category {category_id} still has products or child categories."
        ) from None


def create_product(data: bodies.Product) -> Product:
    """Create a product in an existing category; a used SKU is a :class:`Conflict`."""
    _check_category(data.category_id)
    try:
        with transaction.atomic():
            return Product.objects.create(**plain(data))
    except IntegrityError:
        raise _unique_violation("sku", data.sku) from None


def replace_product(product: Product, data: bodies.Product) -> Product:
    """Replace every writable field (the runtime applies the spec's defaults; an
    omitted ``dimensions`` is none)."""
    _check_category(data.category_id)
    _conditional_update(Product, product, {"dimensions": None, **plain(data)}, "sku")
    return get_product(product.pk)


def update_product(product: Product, changes: bodies.ProductPatch) -> Product:
    """Apply ``changes`` if ``product`` is still at the version that was read."""
    if changes.category_id is not ABSENT:
        _check_category(changes.category_id)
    _conditional_update(Product, product, plain(changes), "sku")
    return get_product(product.pk)


def delete_product(product_id: uuid.UUID) -> None:
    """Delete a product no stock reservation refers to."""
    product = get_product(product_id)
    try:
        with transaction.atomic():
            product.delete()
    except ProtectedError:
        raise Conflict(
            f"Stock reservations refer to product {product_id}; set its status to "
            "'discontinued' instead."
        ) from None


def _conditional_update(
    model: type[Category] | type[Product],
    instance: Category | Product,
    values: Mapping[str, Any],
    unique_field: str,
) -> None:
    """``UPDATE ... SET ..., version = version + 1 WHERE id = ? AND version = ?``.

    No row updated means someone changed (or deleted) the resource since it
    was read: :class:`StaleVersion` (or :class:`NotFound`).
    """
    try:
        with transaction.atomic():
            updated = model.objects.filter(pk=instance.pk, version=instance.version).update(
                **values, version=F("version") + 1, updated_at=timezone.now()
            )
    except IntegrityError:
        raise _unique_violation(unique_field, values.get(unique_field)) from None
    if updated == 0:
        if not model.objects.filter(pk=instance.pk).exists():
            raise NotFound(f"There is no {model.__name__.lower()} {instance.pk}.")
        raise StaleVersion(f"The {model.__name__.lower()} {instance.pk} changed meanwhile.")


def _merge_lines(lines: Sequence[bodies.StockReservationLine]) -> dict[uuid.UUID, int]:
    """``[(product a, 1), (product a, 2)]`` -> ``{a: 3}``."""
    merged: dict[uuid.UUID, int] = {}
    for line in lines:
        merged[line.product_id] = merged.get(line.product_id, 0) + line.quantity
    return merged


def reserve_stock(reference: str, lines: Sequence[bodies.StockReservationLine]) -> StockReservation:
    """Reserve every line or none.

    Unknown or non-active products are :class:`Unprocessable`; too little
    stock for any line is a :class:`Conflict` and rolls back the lines
    already taken. Each line is one ``UPDATE ... SET stock = stock - q WHERE
    stock >= q``, taken in product-id order so that concurrent reservations
    cannot deadlock on PostgreSQL.
    """
    wanted = _merge_lines(lines)
    with transaction.atomic():
        products = {p.pk: p for p in Product.objects.filter(pk__in=wanted)}
        missing = sorted(str(pid) for pid in wanted if pid not in products)
        if missing:
            raise Unprocessable(f"These products do not exist: {', '.join(missing)}.")
        inactive = sorted(p.sku for p in products.values() if p.status != ProductStatus.ACTIVE)
        if inactive:
            raise Unprocessable(f"These products cannot be ordered now: {', '.join(inactive)}.")
        for product_id in sorted(wanted, key=str):
            quantity = wanted[product_id]
            taken = Product.objects.filter(pk=product_id, stock__gte=quantity).update(
                stock=F("stock") - quantity, version=F("version") + 1, updated_at=timezone.now()
            )
            if taken == 0:
                available = Product.objects.filter(pk=product_id).values_list("stock", flat=True)
                raise Conflict(
                    f"Only {available.first() or 0} of {products[product_id].sku} are in stock; "
                    f"{quantity} were requested.",
                    title="Insufficient stock",
                )
        reservation = StockReservation.objects.create(reference=reference)
        StockReservationLine.objects.bulk_create(
            StockReservationLine(
                reservation=reservation,
                position=index,
                product_id=line.product_id,
                quantity=line.quantity,
            )
            for index, line in enumerate(lines)
        )
    return reservation


def get_reservation(reservation_id: uuid.UUID) -> StockReservation:
    try:
        return StockReservation.objects.prefetch_related("lines").get(pk=reservation_id)
    except StockReservation.DoesNotExist:
        raise NotFound(f"There is no stock reservation {reservation_id}.") from None


def release_reservation(reservation_id: uuid.UUID) -> StockReservation:
    """Give the stock back, exactly once: only the caller that flips the status
    from ``active`` to ``released`` returns the units; later calls change nothing."""
    get_reservation(reservation_id)
    with transaction.atomic():
        flipped = StockReservation.objects.filter(
            pk=reservation_id, status=ReservationStatus.ACTIVE
        ).update(status=ReservationStatus.RELEASED, released_at=timezone.now())
        if flipped:
            for line in StockReservationLine.objects.filter(reservation_id=reservation_id):
                Product.objects.filter(pk=line.product_id).update(
                    stock=F("stock") + line.quantity,
                    version=F("version") + 1,
                    updated_at=timezone.now(),
                )
    return get_reservation(reservation_id)
