"""Persistence of orders, their lines, and idempotency records.

Lines keep a snapshot of the product (SKU, name, unit price) as it was when
the order was placed. Payment details are stored sanitised: a card keeps
only its brand and last four digits.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OrderStatus(models.TextChoices):
    PLACED = "placed"
    CANCELLED = "cancelled"


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer_id = models.UUIDField(db_index=True)
    status = models.CharField(max_length=16, choices=OrderStatus.choices, db_index=True)
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=12, decimal_places=2, db_index=True)
    shipping_address = models.JSONField()
    payment = models.JSONField()
    note = models.TextField(blank=True, default="")
    reservation_id = models.UUIDField()
    placed_by = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "id")

    def __str__(self) -> str:
        return f"order {self.pk} ({self.status})"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    product_id = models.UUIDField()
    sku = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(fields=("order", "position"), name="order_line_position"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
        ]


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of one caller: the request's fingerprint and,
    once the order is placed, the response to replay. The unique constraint
    makes concurrent first uses of a key race for one row; losers wait for
    the winner's response."""

    subject = models.CharField(max_length=200)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("subject", "key"), name="idempotency_subject_key")
        ]
