"""Business rules of orders, independent of HTTP.

Placing an order: the caller must be the customer (or hold ``admin``); the
customer must exist and be active; every product must exist, be active and
share one currency; lines are priced from the catalog; then the stock of all
lines is reserved in one all-or-nothing call, and only then is the order
stored. If storing fails the reservation is released again.

Cancelling gives the stock back first (idempotent on the catalog's side) and
then flips the status conditionally, so concurrent cancels return stock once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from servicekit.auth import Identity
from servicekit.contract.records import plain
from servicekit.errors import Conflict, Forbidden, NotFound, StaleVersion, Unprocessable

from orders.api._generated import bodies
from orders.clients.catalog import ProductInfo
from orders.clients.customers import CustomerInfo
from orders.models import Order, OrderLine, OrderStatus
from orders.payments import stored_payment

logger = logging.getLogger("orders.domain")

ADMIN_SCOPE = "admin"
MAX_TOTAL = Decimal("9999999999.99")


class Catalog(Protocol):
    def get_product(self, product_id: uuid.UUID) -> ProductInfo | None: ...
    def reserve(self, reference: str, lines: Sequence[tuple[uuid.UUID, int]]) -> uuid.UUID: ...
    def release(self, reservation_id: uuid.UUID) -> None: ...


class Customers(Protocol):
    def get_customer(self, customer_id: uuid.UUID) -> CustomerInfo | None: ...


def is_admin(identity: Identity | None) -> bool:
    return identity is not None and identity.has_scope(ADMIN_SCOPE)


def _require_owner(identity: Identity | None, customer_id: uuid.UUID, action: str) -> None:
    if not is_admin(identity) and (identity is None or identity.subject != str(customer_id)):
        raise Forbidden(f"These credentials may not {action} orders of customer {customer_id}.")


def visible_orders(identity: Identity | None) -> Any:
    """Every order for ``admin``; otherwise the caller's own."""
    orders = Order.objects.all()
    if is_admin(identity):
        return orders
    subject = _subject_uuid(identity)
    return orders.none() if subject is None else orders.filter(customer_id=subject)


def _subject_uuid(identity: Identity | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(identity.subject) if identity is not None else None
    except ValueError:
        return None


def get_order(order_id: uuid.UUID, identity: Identity | None) -> Order:
    try:
        order = Order.objects.prefetch_related("lines").get(pk=order_id)
    except Order.DoesNotExist:
        raise NotFound(f"There is no order {order_id}.") from None
    _require_owner(identity, order.customer_id, "see")
    return order


def _priced_lines(
    catalog: Catalog, lines: Sequence[bodies.OrderLine]
) -> tuple[list[dict[str, Any]], str, Decimal]:
    """Price every line from the catalog: (line values, currency, total)."""
    products: dict[uuid.UUID, ProductInfo] = {}
    for line in lines:
        pid = line.product_id
        if pid not in products:
            product = catalog.get_product(pid)
            if product is None:
                raise Unprocessable(f"There is no product {pid}.")
            if not product.active:
                raise Unprocessable(f"The product {product.sku} cannot be ordered now.")
            products[pid] = product
    currencies = sorted({p.currency for p in products.values()})
    if len(currencies) != 1:
        raise Unprocessable(f"All products of an order must share one currency, not {currencies}.")
    priced: list[dict[str, Any]] = []
    for line in lines:
        product = products[line.product_id]
        quantity = line.quantity
        priced.append(
            {
                "product_id": product.id,
                "sku": product.sku,
                "name": product.name,
                "unit_price": product.price,
                "quantity": quantity,
                "line_total": product.price * quantity,
            }
        )
    total = sum((line["line_total"] for line in priced), Decimal("0.00"))
    if total > MAX_TOTAL:
        raise Unprocessable(f"The order total {total} exceeds the maximum {MAX_TOTAL}.")
    return priced, currencies[0], total


def place_order(
    identity: Identity | None,
    data: bodies.Order,
    catalog: Catalog,
    customers: Customers,
) -> Order:
    """Check, price, reserve and store one order (see the module docstring)."""
    customer_id = data.customer_id
    _require_owner(identity, customer_id, "place")
    customer = customers.get_customer(customer_id)
    if customer is None:
        raise Unprocessable(f"There is no customer {customer_id}.")
    if not customer.active:
        raise Unprocessable(f"The customer {customer_id} is suspended and cannot order.")
    lines, currency, total = _priced_lines(catalog, data.lines)
    order_id = uuid.uuid4()
    reservation_id = catalog.reserve(
        f"order-{order_id}", [(line["product_id"], line["quantity"]) for line in lines]
    )
    try:
        with transaction.atomic():
            order = Order.objects.create(
                id=order_id,
                customer_id=customer_id,
                status=OrderStatus.PLACED,
                currency=currency,
                total=total,
                shipping_address=plain(data.shipping_address),
                payment=stored_payment(data.payment, order_id),
                note=data.note,
                reservation_id=reservation_id,
                placed_by=identity.subject if identity else "",
            )
            OrderLine.objects.bulk_create(
                [OrderLine(order=order, position=i, **line) for i, line in enumerate(lines)]
            )
    except Exception:
        logger.exception("storing order %s failed; releasing its stock", order_id)
        catalog.release(reservation_id)
        raise
    return get_order(order_id, identity)


def update_order(order: Order, changes: bodies.OrderPatch) -> Order:
    """Change the address or note of a placed order still at the version read."""
    if order.status != OrderStatus.PLACED:
        raise Conflict(f"The order {order.pk} is {order.status} and can no longer change.")
    values = plain(changes)
    updated = Order.objects.filter(
        pk=order.pk, version=order.version, status=OrderStatus.PLACED
    ).update(**values, version=F("version") + 1, updated_at=timezone.now())
    if updated == 0:
        raise StaleVersion(f"The order {order.pk} changed meanwhile.")
    return Order.objects.prefetch_related("lines").get(pk=order.pk)


def cancel_order(order: Order, catalog: Catalog) -> Order:
    """Cancel a placed order and give its stock back exactly once."""
    if order.status != OrderStatus.PLACED:
        raise Conflict(f"The order {order.pk} is already {order.status}.")
    catalog.release(order.reservation_id)
    now = timezone.now()
    flipped = Order.objects.filter(pk=order.pk, status=OrderStatus.PLACED).update(
        status=OrderStatus.CANCELLED, cancelled_at=now, updated_at=now, version=F("version") + 1
    )
    if flipped == 0:
        raise Conflict(f"The order {order.pk} was cancelled meanwhile.")
    return Order.objects.prefetch_related("lines").get(pk=order.pk)
