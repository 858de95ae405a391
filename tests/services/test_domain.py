"""Domain rules, below HTTP: payments, idempotency claims, stock, category trees, cancelling."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from decimal import Decimal

import pytest
from catalog import domain as catalog
from catalog.api._generated import bodies as catalog_bodies
from catalog.models import Category, Product, StockReservation
from django.utils import timezone
from orders import domain as orders
from orders import idempotency
from orders.api._generated import bodies
from orders.clients.catalog import ProductInfo
from orders.models import IdempotencyRecord, Order
from orders.payments import card_brand, stored_payment
from servicekit.errors import Conflict, Unprocessable

ORDER_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4111111111111111", "visa"),
        ("5500005555555559", "mastercard"),
        ("2221000000000009", "mastercard"),
        ("378282246310005", "amex"),
        ("6011111111111117", "other"),
    ],
)
def test_card_brand(number: str, brand: str) -> None:
    assert card_brand(number) == brand


def test_stored_payment_keeps_no_secret() -> None:
    card = bodies.CardPayment(
        method="card",
        card_number="4111111111111111",
        holder_name="A",
        expiry_month=1,
        expiry_year=2030,
    )
    assert stored_payment(card, ORDER_ID) == {
        "method": "card",
        "holder_name": "A",
        "expiry_month": 1,
        "expiry_year": 2030,
        "brand": "visa",
        "last4": "1111",
    }
    transfer = bodies.BankTransferPayment(
        method="bank_transfer", iban="GB82WEST12345698765432", bic="WESTGB2L"
    )
    assert stored_payment(transfer, ORDER_ID) == {
        "method": "bank_transfer",
        "iban": "GB82WEST12345698765432",
        "bic": "WESTGB2L",
        "reference": "SF-123456781234",
    }
    without_bic = bodies.BankTransferPayment(method="bank_transfer", iban="GB82WEST12345698765432")
    assert "bic" not in stored_payment(without_bic, ORDER_ID)
    voucher = bodies.VoucherPayment(method="voucher", code="GIFT-2024")
    assert stored_payment(voucher, ORDER_ID) == {"method": "voucher", "code": "GIFT-2024"}


def test_fingerprint_ignores_key_order_only() -> None:
    assert idempotency.fingerprint({"a": 1, "b": [1, 2]}) == idempotency.fingerprint(
        {"b": [1, 2], "a": 1}
    )
    assert idempotency.fingerprint({"b": [2, 1]}) != idempotency.fingerprint({"b": [1, 2]})


@pytest.mark.django_db
def test_claim_lifecycle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.1)
    assert idempotency.claim("alice", "key-0001", "f1") is None
    with pytest.raises(Conflict, match="still being processed"):
        idempotency.claim("alice", "key-0001", "f1")
    with pytest.raises(Unprocessable, match="different request body"):
        idempotency.claim("alice", "key-0001", "f2")
    assert idempotency.claim("bob", "key-0001", "f2") is None  # keys belong to one caller
    stored = idempotency.StoredResponse(201, {"id": "x"}, {"Location": "/orders/x"})
    idempotency.complete("alice", "key-0001", stored)
    assert idempotency.claim("alice", "key-0001", "f1") == stored
    idempotency.abandon("bob", "key-0001")
    assert not IdempotencyRecord.objects.filter(subject="bob").exists()
    assert idempotency.claim("bob", "key-0001", "f3") is None


@pytest.mark.django_db
def test_keys_are_forgotten_after_their_lifetime() -> None:
    assert idempotency.claim("alice", "key-0003", "f1") is None
    idempotency.complete("alice", "key-0003", idempotency.StoredResponse(201, {}, {}))
    assert idempotency.claim("alice", "key-0003", "f1") is not None
    old = timezone.now() - idempotency.KEY_LIFETIME - datetime.timedelta(seconds=1)
    IdempotencyRecord.objects.filter(key="key-0003").update(created_at=old)
    assert idempotency.claim("alice", "key-0003", "f2") is None  # a fresh claim, any body
    assert IdempotencyRecord.objects.get(key="key-0003").fingerprint == "f2"


@pytest.fixture
def products(db: None) -> tuple[Product, Product]:
    category = Category.objects.create(name="Kitchen", slug="kitchen")
    values = {"category": category, "price": Decimal("1.00"), "currency": "EUR", "status": "active"}
    return (
        Product.objects.create(sku="A-01", name="A", stock=3, **values),
        Product.objects.create(sku="B-01", name="B", stock=1, **values),
    )


def test_reserve_merges_lines_and_releases_once(products: tuple[Product, Product]) -> None:
    a, b = products
    lines = [
        catalog_bodies.StockReservationLine(product_id=a.pk, quantity=1),
        catalog_bodies.StockReservationLine(product_id=b.pk, quantity=1),
        catalog_bodies.StockReservationLine(product_id=a.pk, quantity=2),
    ]
    reservation = catalog.reserve_stock("o-1", lines)
    assert [(p.sku, p.stock) for p in Product.objects.order_by("sku")] == [("A-01", 0), ("B-01", 0)]
    catalog.release_reservation(reservation.pk)
    catalog.release_reservation(reservation.pk)
    assert [p.stock for p in Product.objects.order_by("sku")] == [3, 1]
    assert StockReservation.objects.get().status == "released"


def test_failed_reservation_changes_nothing(products: tuple[Product, Product]) -> None:
    a, b = products
    with pytest.raises(Conflict, match="Only 1 of B-01"):
        catalog.reserve_stock(
            "o",
            [
                catalog_bodies.StockReservationLine(product_id=a.pk, quantity=3),
                catalog_bodies.StockReservationLine(product_id=b.pk, quantity=2),
            ],
        )
    assert [p.stock for p in Product.objects.order_by("sku")] == [3, 1]
    assert not StockReservation.objects.exists()


@pytest.mark.django_db
def test_category_cannot_become_its_own_ancestor() -> None:
    def create(name: str, parent_id: uuid.UUID | None = None) -> Category:
        body = catalog_bodies.Category(
            name=name, slug=name.lower(), description="", parent_id=parent_id
        )
        return catalog.create_category(body)

    top = create("Top")
    middle = create("Mid", top.pk)
    leaf = create("Leaf", middle.pk)
    with pytest.raises(Unprocessable, match="own ancestor"):
        catalog.update_category(
            catalog.get_category(top.pk), catalog_bodies.CategoryPatch(parent_id=leaf.pk)
        )
    moved = catalog.update_category(
        catalog.get_category(leaf.pk), catalog_bodies.CategoryPatch(parent_id=top.pk)
    )
    assert moved.parent_id == top.pk and moved.version == 2


class RecordingCatalog:
    def __init__(self) -> None:
        self.released: list[uuid.UUID] = []

    def get_product(self, product_id: uuid.UUID) -> ProductInfo | None:
        return None

    def reserve(self, reference: str, lines: Sequence[tuple[uuid.UUID, int]]) -> uuid.UUID:
        raise AssertionError("not used")

    def release(self, reservation_id: uuid.UUID) -> None:
        self.released.append(reservation_id)


@pytest.mark.django_db
def test_cancel_releases_then_refuses_a_second_cancel() -> None:
    order = Order.objects.create(
        customer_id=uuid.uuid4(),
        status="placed",
        currency="EUR",
        total=Decimal("1.00"),
        shipping_address={},
        payment={},
        reservation_id=uuid.uuid4(),
        placed_by="x",
    )
    fake = RecordingCatalog()
    stale = Order.objects.get(pk=order.pk)
    cancelled = orders.cancel_order(order, fake)
    assert cancelled.status == "cancelled" and cancelled.version == 2
    assert fake.released == [order.reservation_id]
    with pytest.raises(Conflict, match="cancelled meanwhile"):
        orders.cancel_order(stale, fake)  # a concurrent cancel read the order while placed
    with pytest.raises(Conflict, match="already cancelled"):
        orders.cancel_order(cancelled, fake)
