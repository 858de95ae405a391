"""Order models -> the JSON shape of specs/orders.yaml (money as two-decimal strings)."""

from __future__ import annotations

from decimal import Decimal

from servicekit.conditional import make_etag

from orders.api._generated import replies
from orders.models import Order


def money(value: Decimal) -> str:
    """``money(Decimal("3"))`` -> ``"3.00"``."""
    return f"{value:.2f}"


def etag(order: Order) -> str:
    return make_etag(order.pk, order.version)


def order_json(order: Order) -> replies.Order:
    return {
        "id": order.pk,
        "customer_id": order.customer_id,
        "status": order.status,
        "lines": [
            {
                "product_id": line.product_id,
                "quantity": line.quantity,
                "sku": line.sku,
                "name": line.name,
                "unit_price": money(line.unit_price),
                "line_total": money(line.line_total),
            }
            for line in order.lines.all()
        ],
        "currency": order.currency,
        "total": money(order.total),
        "shipping_address": order.shipping_address,
        "payment": order.payment,
        "note": order.note,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "cancelled_at": order.cancelled_at,
    }
