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


class SigningKey(models.Model):
    """An RS256 key pair that signs access tokens (:mod:`customers.oauth.keys`).

    The newest key not retired signs; ``retired_at`` is set when a newer one
    takes over, and the key stays published in the JWKS until every token it
    signed has expired (``retired_at`` + the access-token lifetime).
    """

    kid = models.CharField(max_length=64, unique=True)
    private_pem = models.TextField()
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.kid


class OAuthClient(models.Model):
    """A client of the token endpoint: a service, or an admin (a client with ``admin``)."""

    client_id = models.CharField(max_length=100, unique=True)
    secret_hash = models.CharField(max_length=256)
    scopes = models.CharField(max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.client_id


class RefreshToken(models.Model):
    """One refresh token, stored as the SHA-256 of its value.

    Tokens of one login share a ``family``; each refresh marks the token used
    and issues the next one of the family. A used or revoked token presented
    again revokes the whole family (RFC 9700 §4.14.2, refresh token rotation).
    """

    token_hash = models.CharField(max_length=64, unique=True)
    family = models.UUIDField(db_index=True)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    client_id = models.CharField(max_length=100, blank=True, default="")
    scope = models.CharField(max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"refresh token of {self.customer_id} ({self.family})"
