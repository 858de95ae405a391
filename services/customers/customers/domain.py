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
from servicekit.contract.records import ABSENT, plain
from servicekit.errors import Conflict, Forbidden, NotFound, StaleVersion

from customers.api._generated import bodies
from customers.models import Customer, CustomerStatus

ADMIN_SCOPE = "admin"
READ_SCOPE = "customers:read"
# Members the spec leaves optional, as a new (or replaced) account has them.
DEFAULTS: Mapping[str, Any] = {
    "phone": None,
    "status": CustomerStatus.ACTIVE,
    "addresses": [],
}


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


def _values(data: bodies.Customer | bodies.CustomerPatch) -> dict[str, Any]:
    """Model values from the members sent: ``Customer(email="A@x.io", password="p")`` ->
    ``{"email": "A@x.io", "email_key": "a@x.io", "password_hash": "scrypt$..."}``."""
    values = plain(data)
    values.pop("password", None)
    if data.email is not ABSENT:
        values["email_key"] = data.email.lower()
    if data.password is not ABSENT:
        values["password_hash"] = make_password(data.password)
    return values


def register_customer(data: bodies.Customer) -> Customer:
    """Create an account; a used email address is a :class:`Conflict`."""
    values = {**DEFAULTS, **_values(data)}
    try:
        with transaction.atomic():
            return Customer.objects.create(**values)
    except IntegrityError:
        raise Conflict(f"The email address {data.email!r} is already registered.") from None


def replace_customer(customer: Customer, data: bodies.Customer) -> Customer:
    """Replace every writable field (omitted optional ones get their defaults)."""
    return _change(customer, {**DEFAULTS, **_values(data)})


def update_customer(customer: Customer, changes: bodies.CustomerPatch) -> Customer:
    """Apply ``changes`` if ``customer`` is still at the version that was read."""
    return _change(customer, _values(changes))


def _change(customer: Customer, values: Mapping[str, Any]) -> Customer:
    """``UPDATE ... WHERE id = ? AND version = ?``: :class:`StaleVersion` when no row is."""
    try:
        with transaction.atomic():
            updated = Customer.objects.filter(pk=customer.pk, version=customer.version).update(
                **values, version=F("version") + 1, updated_at=timezone.now()
            )
    except IntegrityError:
        raise Conflict(
            f"The email address {values.get('email')!r} is already registered."
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
