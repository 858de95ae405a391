"""Payment methods as stored and shown: secrets never leave the request.

A card keeps its holder, expiry, brand and last four digits (the number is
``writeOnly`` in the spec); a bank transfer gets a reference the customer
quotes; a voucher keeps its code.
"""

from __future__ import annotations

import uuid
from typing import Any

from servicekit.contract.records import plain

from orders.api._generated import bodies

# Leading digits -> brand (the common IIN ranges, longest prefix first).
CARD_BRANDS: tuple[tuple[str, str], ...] = (
    ("34", "amex"),
    ("37", "amex"),
    ("51", "mastercard"),
    ("52", "mastercard"),
    ("53", "mastercard"),
    ("54", "mastercard"),
    ("55", "mastercard"),
    ("2", "mastercard"),
    ("4", "visa"),
)


def card_brand(number: str) -> str:
    """``card_brand("4111111111111111")`` -> ``"visa"``; unknown prefixes -> ``"other"``."""
    return next((brand for prefix, brand in CARD_BRANDS if number.startswith(prefix)), "other")


def stored_payment(payment: bodies.PaymentMethod, order_id: uuid.UUID) -> dict[str, Any]:
    """The payment as kept and returned.

    ``CardPayment(method="card", card_number="4111111111111111", holder_name="A",
    expiry_month=1, expiry_year=2030)`` -> ``{"method": "card", "holder_name": "A",
    "expiry_month": 1, "expiry_year": 2030, "brand": "visa", "last4": "1111"}``
    """
    match payment:
        case bodies.CardPayment(card_number=number):
            kept = plain(payment)
            del kept["card_number"]
            return {**kept, "brand": card_brand(number), "last4": number[-4:]}
        case bodies.BankTransferPayment():
            return {**plain(payment), "reference": f"SF-{order_id.hex[:12].upper()}"}
        case bodies.VoucherPayment():
            return plain(payment)
