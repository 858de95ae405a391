"""Persistence of customer accounts.

The email address is unique case-insensitively through ``email_key`` (its
lower-cased form); passwords are stored only as Django password hashes.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class CustomerStatus(models.TextChoices):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Customer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.CharField(max_length=254)
    email_key = models.CharField(max_length=254, unique=True)
    name = models.CharField(max_length=200, db_index=True)
    password_hash = models.CharField(max_length=256)
    phone = models.CharField(max_length=16, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE
    )
    addresses = models.JSONField(default=list)
    marketing_opt_in = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.email
