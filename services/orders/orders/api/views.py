"""The orders service's operations: hand-written subclasses of the generated stubs.

``placeOrder`` honours ``Idempotency-Key`` (:mod:`orders.idempotency`): the
key is claimed before anything happens, the response stored once the order
exists, and a replay answers the stored response with
``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from rest_framework.request import Request
from servicekit.conditional import require_if_match
from servicekit.contract import Reply
from servicekit.contract.jsonvalues import to_json
from servicekit.contract.records import plain
from servicekit.handlers import ServiceHandlers
from servicekit.pagination import page
from servicekit.security import identity_of

from orders import domain, idempotency, queries
from orders.api._generated import bodies, replies, stubs
from orders.clients.catalog import CatalogClient
from orders.clients.customers import CustomersClient
from orders.models import Order
from orders.representations import etag, order_json


def _placed(order: Order) -> Reply[Literal[201], replies.Order]:
    return Reply(
        201, order_json(order), headers={"Location": f"/orders/{order.pk}", "ETag": etag(order)}
    )


class OrdersViewSet(ServiceHandlers, stubs.OrdersViewSet):
    def list_orders(
        self,
        request: Request,
        *,
        limit: int,
        offset: int,
        customer_id: uuid.UUID | None,
        status: str | None,
        currency: str | None,
        created_after: datetime.datetime | None,
        created_before: datetime.datetime | None,
        min_total: Decimal | None,
        max_total: Decimal | None,
        sort: str,
    ) -> stubs.ListOrdersReply:
        found = queries.orders(
            domain.visible_orders(identity_of(request)),
            customer_id=customer_id,
            status=status,
            currency=currency,
            created_after=created_after,
            created_before=created_before,
            min_total=min_total,
            max_total=max_total,
            sort=sort,
        )
        return Reply(200, page(found, limit, offset, order_json))

    def place_order(
        self, request: Request, *, idempotency_key: str | None, body: bodies.Order
    ) -> stubs.PlaceOrderReply:
        identity = identity_of(request)

        def place() -> Reply[Literal[201], replies.Order]:
            order = domain.place_order(identity, body, CatalogClient(), CustomersClient())
            return _placed(order)

        if idempotency_key is None or identity is None:
            return place()
        subject = identity.subject
        stored = idempotency.claim(
            subject, idempotency_key, idempotency.fingerprint(to_json(plain(body)))
        )
        if stored is not None:  # only placed orders are stored: the replay is their 201
            return Reply(
                201,
                stored.body,
                headers={**stored.headers, "Idempotent-Replayed": "true"},
            )
        try:
            reply = place()
        except BaseException:
            idempotency.abandon(subject, idempotency_key)
            raise
        idempotency.complete(
            subject,
            idempotency_key,
            idempotency.StoredResponse(reply.status, to_json(reply.data), dict(reply.headers)),
        )
        return reply

    def get_order(self, request: Request, *, order_id: uuid.UUID) -> stubs.GetOrderReply:
        order = domain.get_order(order_id, identity_of(request))
        return Reply(200, order_json(order), headers={"ETag": etag(order)})

    def update_order(
        self, request: Request, *, order_id: uuid.UUID, if_match: str, body: bodies.OrderPatch
    ) -> stubs.UpdateOrderReply:
        order = domain.get_order(order_id, identity_of(request))
        require_if_match(request, etag(order))
        order = domain.update_order(order, body)
        return Reply(200, order_json(order), headers={"ETag": etag(order)})

    def cancel_order(self, request: Request, *, order_id: uuid.UUID) -> stubs.CancelOrderReply:
        order = domain.get_order(order_id, identity_of(request))
        order = domain.cancel_order(order, CatalogClient())
        return Reply(200, order_json(order), headers={"ETag": etag(order)})
