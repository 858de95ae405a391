"""The customers service's operations: hand-written subclasses of the generated stubs.

Who may do what lives in :mod:`customers.domain`; handlers translate between
HTTP and the domain, and add ``ETag`` and ``Location`` headers.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from rest_framework.request import Request
from servicekit.conditional import require_if_match
from servicekit.contract import Reply
from servicekit.errors import Forbidden
from servicekit.handlers import ServiceHandlers
from servicekit.pagination import page
from servicekit.security import identity_of

from customers import domain, queries
from customers.api._generated import stubs
from customers.representations import customer_json, etag


def _changeable(request: Request, customer_id: uuid.UUID) -> Any:
    """The customer, if the caller may change it; 404 before 403."""
    customer = domain.get_customer(customer_id)
    if not domain.may_change(identity_of(request), customer.pk):
        raise Forbidden(f"These credentials may not change customer {customer.pk}.")
    return customer


class CustomersViewSet(ServiceHandlers, stubs.CustomersViewSet):
    def list_customers(
        self,
        request: Request,
        *,
        limit: int,
        offset: int,
        email: str | None,
        status: str | None,
        created_after: datetime.datetime | None,
        created_before: datetime.datetime | None,
        q: str | None,
        sort: str,
    ) -> stubs.ListCustomersReply:
        domain.require_admin(identity_of(request))
        found = queries.customers(
            email=email,
            status=status,
            created_after=created_after,
            created_before=created_before,
            q=q,
            sort=sort,
        )
        return Reply(200, page(found, limit, offset, customer_json))

    def create_customer(
        self, request: Request, *, body: dict[str, Any]
    ) -> stubs.CreateCustomerReply:
        customer = domain.register_customer(body)
        return Reply(
            201,
            customer_json(customer),
            headers={"Location": f"/customers/{customer.pk}", "ETag": etag(customer)},
        )

    def get_customer(self, request: Request, *, customer_id: uuid.UUID) -> stubs.GetCustomerReply:
        customer = domain.get_customer(customer_id, identity_of(request))
        return Reply(200, customer_json(customer), headers={"ETag": etag(customer)})

    def replace_customer(
        self, request: Request, *, customer_id: uuid.UUID, if_match: str, body: dict[str, Any]
    ) -> stubs.ReplaceCustomerReply:
        customer = _changeable(request, customer_id)
        require_if_match(request, etag(customer))
        customer = domain.replace_customer(customer, body)
        return Reply(200, customer_json(customer), headers={"ETag": etag(customer)})

    def update_customer(
        self, request: Request, *, customer_id: uuid.UUID, if_match: str, body: dict[str, Any]
    ) -> stubs.UpdateCustomerReply:
        customer = _changeable(request, customer_id)
        require_if_match(request, etag(customer))
        customer = domain.update_customer(customer, body)
        return Reply(200, customer_json(customer), headers={"ETag": etag(customer)})

    def delete_customer(
        self, request: Request, *, customer_id: uuid.UUID
    ) -> stubs.DeleteCustomerReply:
        domain.delete_customer(customer_id, identity_of(request))
        return Reply(204)
