"""Customer models -> the JSON shape of specs/customers.yaml; the password never leaves."""

from __future__ import annotations

from servicekit.conditional import make_etag

from customers.api._generated import replies
from customers.models import Customer


def etag(customer: Customer) -> str:
    return make_etag(customer.pk, customer.version)


def customer_json(customer: Customer) -> replies.Customer:
    return {
        "id": customer.pk,
        "email": customer.email,
        "name": customer.name,
        "phone": customer.phone,
        "status": customer.status,
        "addresses": list(customer.addresses),
        "marketing_opt_in": customer.marketing_opt_in,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
    }
