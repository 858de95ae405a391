"""Typed client of the customers service.

Calls carry a short-lived service token (HS256, ``SPECFIRST_JWT_SECRET``,
``sub`` = ``service:orders``, scope ``customers:read``, the configured ``iss``
and ``aud``); base URL from
``CUSTOMERS_URL``.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt
import pydantic
from django.conf import settings
from servicekit.errors import DependencyUnavailable

from orders.clients._generated import customers as models
from orders.clients.transport import call, problem_detail

SERVICE = "customers"
TOKEN_LIFETIME = 300


@dataclass(frozen=True, slots=True)
class CustomerInfo:
    id: uuid.UUID
    active: bool


def service_token(now: float | None = None) -> str:
    """A bearer token that lets the orders service read any customer."""
    issued = int(now if now is not None else time.time())
    claims = {
        "sub": "service:orders",
        "scope": "customers:read",
        "iat": issued,
        "exp": issued + TOKEN_LIFETIME,
        "aud": settings.SPECFIRST_JWT_AUDIENCE,
        "iss": settings.SPECFIRST_JWT_ISSUER,
    }
    return jwt.encode(claims, settings.SPECFIRST_JWT_SECRET, algorithm="HS256")


class CustomersClient:
    """The orders service's view of customer accounts."""

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url = base_url or settings.CUSTOMERS_URL

    def get_customer(self, customer_id: uuid.UUID) -> CustomerInfo | None:
        """The customer, or ``None`` when there is none with this id."""
        response = call(
            SERVICE,
            self.base_url,
            "GET",
            f"/customers/{customer_id}",
            headers={"Authorization": f"Bearer {service_token()}"},
        )
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DependencyUnavailable(
                f"The customers service refused GET /customers/{customer_id}: "
                f"{problem_detail(response)}"
            )
        try:
            customer = models.CustomerResponse.model_validate(response.json())
        except pydantic.ValidationError as exc:
            raise DependencyUnavailable(
                "The customers service answered a customer that breaks its contract: "
                f"{exc.error_count()} error(s)."
            ) from None
        return CustomerInfo(id=customer.id, active=customer.status == models.CustomerStatus.active)
