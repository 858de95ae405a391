"""Access tokens (RS256 JWTs, RFC 9068 shape) and rotating refresh tokens.

An access token carries ``iss``, ``aud``, ``sub``, ``scope``, ``client_id``,
``iat``, ``exp`` and a ``jti``; its header names the signing key's ``kid``, which
verifiers look up in the JWKS. A refresh token is 32 random bytes, stored only
as its SHA-256; using one marks it used and returns its successor in the same
family, and presenting a used (or revoked) one again revokes the family: a
stolen refresh token then stops working for the thief and the owner alike,
and the owner logs in again (RFC 9700 §4.14.2).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt
from django.db import transaction
from django.utils import timezone

from customers.models import Customer, RefreshToken
from customers.oauth import keys
from customers.oauth.config import login_settings


@dataclass(frozen=True, slots=True)
class Grant:
    """What a token is for: its subject, scopes and the client that asked."""

    subject: str
    scopes: tuple[str, ...]
    client_id: str = ""


def access_token(grant: Grant) -> tuple[str, int]:
    """A signed access token and its lifetime in seconds."""
    config = login_settings()
    key = keys.active_key()
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": config.issuer,
        "aud": config.audience,
        "sub": grant.subject,
        "iat": now,
        "exp": now + config.access_ttl,
        "jti": secrets.token_urlsafe(16),
    }
    if grant.scopes:
        claims["scope"] = " ".join(grant.scopes)
    if grant.client_id:
        claims["client_id"] = grant.client_id
    token = jwt.encode(
        claims,
        keys.private_key(key.kid, key.private_pem),
        algorithm=keys.ALGORITHM,
        headers={"kid": key.kid, "typ": "at+jwt"},
    )
    return token, config.access_ttl


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_refresh_token(customer: Customer, grant: Grant, family: uuid.UUID | None = None) -> str:
    """Store and return a refresh token (a new family unless ``family`` is given)."""
    token = secrets.token_urlsafe(32)
    RefreshToken.objects.create(
        token_hash=_digest(token),
        family=family or uuid.uuid4(),
        customer=customer,
        client_id=grant.client_id,
        scope=" ".join(grant.scopes),
        expires_at=timezone.now() + datetime.timedelta(seconds=login_settings().refresh_ttl),
    )
    return token


class RefreshRefused(Exception):
    """The refresh token is unknown, expired, revoked or reused (the message says which)."""


def use_refresh_token(token: str) -> tuple[RefreshToken, bool]:
    """Mark ``token`` used; returns it and whether this was its first use.

    A second use revokes the family; the caller refuses it. Marking is one
    conditional ``UPDATE``, so of two concurrent uses exactly one is first.
    """
    now = timezone.now()
    found = RefreshToken.objects.filter(token_hash=_digest(token)).first()
    if found is None:
        raise RefreshRefused("The refresh token is not known.")
    with transaction.atomic():
        first = (
            RefreshToken.objects.filter(
                pk=found.pk, used_at__isnull=True, revoked_at__isnull=True
            ).update(used_at=now)
            == 1
        )
        if not first:
            RefreshToken.objects.filter(family=found.family, revoked_at__isnull=True).update(
                revoked_at=now
            )
    if found.expires_at <= now:
        raise RefreshRefused("The refresh token has expired.")
    return found, first


def revoke_family(family: uuid.UUID) -> int:
    """Revoke every refresh token of a login; returns how many were still live."""
    return RefreshToken.objects.filter(family=family, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
