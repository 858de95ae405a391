"""The customers service's operations: hand-written subclasses of the generated stubs.

Who may do what lives in :mod:`customers.domain`; handlers translate between
HTTP and the domain, and add ``ETag`` and ``Location`` headers.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from rest_framework.request import Request
from servicekit.conditional import require_if_match
from servicekit.contract import Reply
from servicekit.errors import Forbidden
from servicekit.handlers import ServiceHandlers
from servicekit.pagination import page
from servicekit.problems import ProblemError
from servicekit.security import identity_of

from customers import domain, queries
from customers.api._generated import bodies, stubs
from customers.models import Customer
from customers.oauth import grants, keys
from customers.oauth.throttle import Throttled, client_ip
from customers.representations import customer_json, etag


def _changeable(request: Request, customer_id: uuid.UUID) -> Customer:
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
        self, request: Request, *, body: bodies.Customer
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
        self, request: Request, *, customer_id: uuid.UUID, if_match: str, body: bodies.Customer
    ) -> stubs.ReplaceCustomerReply:
        customer = _changeable(request, customer_id)
        require_if_match(request, etag(customer))
        customer = domain.replace_customer(customer, body)
        return Reply(200, customer_json(customer), headers={"ETag": etag(customer)})

    def update_customer(
        self, request: Request, *, customer_id: uuid.UUID, if_match: str, body: bodies.CustomerPatch
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


# RFC 6749 §5.1: token responses, errors included, are never cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
JWKS_MAX_AGE = 300


class TokensViewSet(ServiceHandlers, stubs.TokensViewSet):
    def issue_token(self, request: Request, *, body: bodies.TokenRequest) -> stubs.IssueTokenReply:
        meta = request.META
        token_request = grants.TokenRequest(
            form=body,
            authorization=request.headers.get("Authorization", ""),
            client_ip=client_ip(
                meta.get("REMOTE_ADDR", ""),
                meta.get("HTTP_X_FORWARDED_FOR", ""),
                settings.SPECFIRST_TRUSTED_PROXIES,
            ),
        )
        try:
            return Reply(200, grants.issue(token_request), headers=NO_STORE)
        except grants.OAuthError as exc:
            headers = dict(NO_STORE)
            if exc.status == 401:
                headers["WWW-Authenticate"] = 'Basic realm="customers"'
            return Reply(exc.status, exc.body(), headers=headers, content_type="application/json")
        except Throttled as exc:
            raise ProblemError(
                429,
                exc.detail,
                code="login_throttled",
                headers={"Retry-After": str(exc.retry_after)},
            ) from None

    def get_jwks(self, request: Request) -> stubs.GetJwksReply:
        return Reply(
            200,
            keys.jwks(),
            headers={"Cache-Control": f"public, max-age={JWKS_MAX_AGE}"},
        )
