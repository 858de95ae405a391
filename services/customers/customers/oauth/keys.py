"""RS256 signing keys: the newest active one signs, the JWKS lists every key
whose tokens may still be valid, and :func:`rotate` starts a new one.

Keys live in the customers database so every worker and replica signs with
the same key. The ``kid`` is the key's RFC 7638 thumbprint. A retired key stays
published for the access-token lifetime plus :data:`PUBLISH_MARGIN` after its
retirement, so no verifier ever meets a valid token whose key is gone.

Two workers that find no key at once may each create one; both are published
and valid, and the newer one signs from then on, so the race is harmless.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.utils import timezone
from jwt.algorithms import RSAAlgorithm

from customers.api._generated import replies
from customers.models import SigningKey
from customers.oauth.config import login_settings

ALGORITHM = "RS256"
KEY_SIZE = 2048
PUBLISH_MARGIN = datetime.timedelta(seconds=60)  # clock skew and tokens in flight


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint of an RSA JWK (SHA-256 of its required members), base64url."""
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_key() -> SigningKey:
    """A fresh key pair, stored and active."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    kid = thumbprint(jwk)
    public = {
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": ALGORITHM,
        "n": jwk["n"],
        "e": jwk["e"],
    }
    return SigningKey.objects.create(kid=kid, private_pem=pem, public_jwk=public)


def active_key() -> SigningKey:
    """The key that signs now (created on first use)."""
    key = SigningKey.objects.filter(retired_at__isnull=True).first()
    return key if key is not None else new_key()


@lru_cache(maxsize=8)
def private_key(kid: str, pem: str) -> rsa.RSAPrivateKey:
    """The parsed private key (parsing costs more than signing; keys never change)."""
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey), kid
    return key


def _published_after() -> datetime.datetime:
    """Keys retired before this instant can have no valid token left."""
    ttl = datetime.timedelta(seconds=login_settings().access_ttl)
    return timezone.now() - ttl - PUBLISH_MARGIN


def published_keys() -> list[replies.JsonWebKey]:
    """The JWKS ``keys``: the active keys, then retired ones still within their tokens' life.

    The key that will sign is created here if there is none yet, so a verifier
    that fetches before the first login already holds the first token's key.
    """
    active_key()
    active = SigningKey.objects.filter(retired_at__isnull=True)
    retired = SigningKey.objects.filter(retired_at__gte=_published_after())
    return [key.public_jwk for key in [*active, *retired]]


def jwks() -> replies.JsonWebKeySet:
    """The JWKS document (``GET /.well-known/jwks.json``, and the service's own
    verifier: ``SPECFIRST_JWKS_SOURCE``)."""
    return {"keys": published_keys()}


def rotate() -> tuple[SigningKey, list[str]]:
    """Retire every active key, start a new one, delete keys no token can need.

    Returns the new key and the ``kid``s deleted.
    """
    with transaction.atomic():
        SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=timezone.now())
        expired = SigningKey.objects.filter(retired_at__lt=_published_after())
        gone = list(expired.values_list("kid", flat=True))
        expired.delete()
        return new_key(), gone
