"""Business rules of customer accounts, independent of HTTP.

* The email address is unique regardless of case (:class:`Conflict`).
* Passwords are hashed with Django's configured hasher and never returned.
* Changes are conditional on the version the caller read (:class:`StaleVersion`).
* A caller may act on its own account (token ``sub`` == customer id); the
  ``admin`` scope may act on any, ``customers:read`` may read any.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from servicekit.auth import Identity
from servicekit.errors import Conflict, Forbidden, NotFound, StaleVersion

from customers.models import Customer, CustomerStatus

ADMIN_SCOPE = "admin"
READ_SCOPE = "customers:read"
DEFAULTS: Mapping[str, Any] = {
    "phone": None,
    "status": CustomerStatus.ACTIVE,
    "addresses": [],
    "marketing_opt_in": False,
}
FIELDS = ("email", "name", "phone", "status", "addresses", "marketing_opt_in")


ADDRESS_KEYS = ("recipient", "line1", "line2", "city", "region", "postal_code", "country")


def clean_address(address: Mapping[str, Any]) -> dict[str, str]:
    """The declared members of an address, as strings (extra members are dropped)."""
    return {key: str(address[key]) for key in ADDRESS_KEYS if key in address}


def may_read(identity: Identity | None, customer_id: uuid.UUID) -> bool:
    return identity is not None and (
        identity.subject == str(customer_id) or bool(identity.scopes & {ADMIN_SCOPE, READ_SCOPE})
    )


def may_change(identity: Identity | None, customer_id: uuid.UUID) -> bool:
    return identity is not None and (
        identity.subject == str(customer_id) or identity.has_scope(ADMIN_SCOPE)
    )


def require_admin(identity: Identity | None) -> None:
    if identity is None or not identity.has_scope(ADMIN_SCOPE):
        raise Forbidden(f"Listing customers needs the '{ADMIN_SCOPE}' scope.")


def get_customer(customer_id: uuid.UUID, identity: Identity | None = None) -> Customer:
    """The customer, if ``identity`` may read it (checked when given)."""
    try:
        customer = Customer.objects.get(pk=customer_id)
    except Customer.DoesNotExist:
        raise NotFound(f"There is no customer {customer_id}.") from None
    if identity is not None and not may_read(identity, customer_id):
        raise Forbidden(f"These credentials may not read customer {customer_id}.")
    return customer


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Model values from API fields: ``{"email": "A@x.io", "password": "p"}`` ->
    ``{"email": "A@x.io", "email_key": "a@x.io", "password_hash": "scrypt$..."}``."""
    values = {key: data[key] for key in FIELDS if key in data}
    if "addresses" in values:
        values["addresses"] = [clean_address(address) for address in values["addresses"]]
    if "email" in values:
        values["email_key"] = values["email"].lower()
    if data.get("password") is not None:
        values["password_hash"] = make_password(data["password"])
    return values


def register_customer(data: Mapping[str, Any]) -> Customer:
    """Create an account; a used email address is a :class:`Conflict`."""
    values = {**DEFAULTS, **_values(data)}
    try:
        with transaction.atomic():
            return Customer.objects.create(**values)
    except IntegrityError:
        raise Conflict(f"The email address {data['email']!r} is already registered.") from None


def replace_customer(customer: Customer, data: Mapping[str, Any]) -> Customer:
    """Replace every writable field (omitted optional ones get their defaults)."""
    return update_customer(customer, {**DEFAULTS, **data})


def update_customer(customer: Customer, changes: Mapping[str, Any]) -> Customer:
    """Apply ``changes`` if ``customer`` is still at the version that was read."""
    values = _values(changes)
    try:
        with transaction.atomic():
            updated = Customer.objects.filter(pk=customer.pk, version=customer.version).update(
                **values, version=F("version") + 1, updated_at=timezone.now()
            )
    except IntegrityError:
        raise Conflict(
            f"The email address {changes.get('email')!r} is already registered."
        ) from None
    if updated == 0:
        if not Customer.objects.filter(pk=customer.pk).exists():
            raise NotFound(f"There is no customer {customer.pk}.")
        raise StaleVersion(f"The customer {customer.pk} changed meanwhile.")
    return Customer.objects.get(pk=customer.pk)


def delete_customer(customer_id: uuid.UUID, identity: Identity | None) -> None:
    customer = get_customer(customer_id)
    if not may_change(identity, customer_id):
        raise Forbidden(f"These credentials may not delete customer {customer_id}.")
    customer.delete()
