"""Persistence of the catalog: categories, products, stock reservations.

Every mutable resource carries a ``version`` counter that each change
increments; it makes the ETag and lets updates be conditional
(``UPDATE ... WHERE version = <read version>``) so that concurrent writers
never silently overwrite each other.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Currency(models.TextChoices):
    EUR = "EUR"
    GBP = "GBP"
    USD = "USD"


class ProductStatus(models.TextChoices):
    DRAFT = "draft"
    ACTIVE = "active"
    DISCONTINUED = "discontinued"


class ReservationStatus(models.TextChoices):
    ACTIVE = "active"
    RELEASED = "released"


class Category(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    slug = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True, default="")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.slug


class Product(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sku = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200, db_index=True)
    description = models.TextField(blank=True, default="")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    price = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    stock = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=ProductStatus.choices, db_index=True)
    tags = models.JSONField(default=list)
    attributes = models.JSONField(default=list)
    dimensions = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name", "id")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.sku


class StockReservation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=100)
    status = models.CharField(
        max_length=16, choices=ReservationStatus.choices, default=ReservationStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"


class StockReservationLine(models.Model):
    reservation = models.ForeignKey(
        StockReservation, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(
                fields=("reservation", "position"), name="reservation_line_position_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="reservation_line_quantity"),
        ]
