"""The identity the gateway forwards to a service: a short-lived token it signs.

The gateway verifies the caller's credentials once, at the edge, then sends
the result upstream as one compact JWS in ``X-Specfirst-Identity``, signed
with EdDSA (Ed25519). Only the gateway holds the private key; services hold
the public key, so a service (or any pod that reaches one) can verify an
identity but never mint one, not even for another service. Each token is
bound to one request: its audience is the service it is sent to, ``htm`` and
``htu`` are the method and the path the gateway sends (as in DPoP, RFC 9449),
and it expires ``LIFETIME`` seconds after it was signed. Plain identity
headers (``X-Specfirst-Subject``...) carry nothing the service may trust.

Why Ed25519 rather than an HMAC secret: with a shared secret every service
could forge identities for every other one. Why not RSA: the gateway signs on
every request, and an Ed25519 signature is about 4x cheaper to make than an
RS256 one (2048-bit), with a 32-byte key; sign plus verify cost about 0.8x
RS256's and 3.5x HS256's (bench/identity.py, docs/gateway.md). The key is
fixed by configuration and so is the algorithm (``EdDSA`` only), so ``alg``
tricks have nothing to choose.

Example::

    signer = IdentitySigner(private_pem)
    token = signer.sign(ForwardedIdentity("alice", ("admin",), ("bearerAuth",)),
                        audience="orders", method="GET", path="/orders/7")
    IdentityVerifier(public_pem, audience="orders").verify(token, "GET", "/orders/7")
    → ForwardedIdentity(subject="alice", scopes=("admin",), schemes=("bearerAuth",))
    ...verify(token, "GET", "/orders/8")  # raises ForwardedIdentityError (another path)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

IDENTITY_HEADER = "X-Specfirst-Identity"
ISSUER = "specfirst-gateway"
ALGORITHM = "EdDSA"
LIFETIME = 30  # seconds: one request, plus a slow upstream queue
LEEWAY = 5  # seconds of clock skew between the gateway and a service
REUSE = 5  # seconds a signed token is reused for the same identity and request
_CACHE_LIMIT = 10_000  # tokens kept by a signer or a verifier (cleared whole when full)
_BAD_SIGNATURE = "the forwarded identity's signature is not valid"
_REQUIRED = ["exp", "iat", "iss", "aud", "sub", "htm", "htu"]


class ForwardedIdentityError(ValueError):
    """A forwarded identity (or a key for one) cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class ForwardedIdentity:
    """Who the gateway verified: the subject, its scopes, the schemes that passed."""

    subject: str
    scopes: tuple[str, ...]
    schemes: tuple[str, ...]


def load_private_key(pem: str) -> Ed25519PrivateKey:
    """The gateway's signing key from PEM (PKCS#8) text."""
    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ForwardedIdentityError(f"the identity signing key is not a PEM key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ForwardedIdentityError("the identity signing key must be an Ed25519 private key")
    return key


def load_public_key(pem: str) -> Ed25519PublicKey:
    """A service's verification key from PEM (SubjectPublicKeyInfo) text."""
    try:
        key = load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise ForwardedIdentityError(f"the identity public key is not a PEM key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ForwardedIdentityError("the identity public key must be an Ed25519 public key")
    return key


def generate_private_key() -> str:
    """A fresh Ed25519 signing key as PEM (PKCS#8)."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


def public_key_of(private_key_pem: str) -> str:
    """The PEM public key (what the services get) of a PEM signing key."""
    public = load_private_key(private_key_pem).public_key()
    return public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


class IdentitySigner:
    """Signs identities for upstream requests (the gateway's half).

    A token signed for one (identity, audience, method, path) is reused for
    the same again for ``reuse`` seconds: signing is the largest cost of an
    authenticated request (docs/gateway.md), and a client repeating a request
    would otherwise pay it every time. The guarantees hold: a reused token is
    still bound to its service, method and path, and still expires
    ``lifetime`` seconds after it was signed (so at least ``lifetime - reuse``
    after it was sent)."""

    def __init__(self, private_key_pem: str, lifetime: int = LIFETIME, reuse: int = REUSE) -> None:
        self._key = load_private_key(private_key_pem)
        self.lifetime = lifetime
        self.reuse = min(reuse, lifetime // 2)
        self._signed: dict[tuple[ForwardedIdentity, str, str, str], tuple[int, str]] = {}

    def sign(
        self,
        identity: ForwardedIdentity,
        *,
        audience: str,
        method: str,
        path: str,
        now: float | None = None,
    ) -> str:
        """A token for one request: ``method`` ``path`` (no query) to service ``audience``."""
        issued = int(time.time() if now is None else now)
        key = (identity, audience, method, path)
        cached = self._signed.get(key)
        if cached is not None and 0 <= issued - cached[0] < self.reuse:
            return cached[1]
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "sub": identity.subject,
            "scope": " ".join(identity.scopes),
            "schemes": list(identity.schemes),
            "htm": method,
            "htu": path,
            "iat": issued,
            "exp": issued + self.lifetime,
        }
        token = jwt.encode(claims, self._key, algorithm=ALGORITHM)
        if len(self._signed) >= _CACHE_LIMIT:
            self._signed.clear()
        self._signed[key] = (issued, token)
        return token


class IdentityVerifier:
    """Verifies forwarded identities (a service's half).

    A token whose signature and claims were checked once is remembered
    until it expires: the gateway reuses a token for a few seconds
    (:class:`IdentitySigner`), and verifying it again would cost a
    signature check per request. The request binding (method, path) and the
    expiry are checked on every use."""

    def __init__(self, public_key_pem: str, audience: str, leeway: float = LEEWAY) -> None:
        self._key = load_public_key(public_key_pem)
        self.audience = audience
        self.leeway = leeway
        self._verified: dict[str, tuple[ForwardedIdentity, str, str, float]] = {}

    def verify(self, token: str, method: str, path: str) -> ForwardedIdentity:
        """The identity in ``token`` if it was signed for this request; else raise."""
        known = self._verified.get(token)
        if known is None or known[3] <= time.time():
            known = self._check(token)
        identity, htm, htu, _ = known
        if htm != method or htu != path:
            raise ForwardedIdentityError("the forwarded identity was signed for another request")
        return identity

    def _check(self, token: str) -> tuple[ForwardedIdentity, str, str, float]:
        """(identity, method, path, valid until) of a token whose signature
        and claims hold; else raise. Remembered until it expires."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=ISSUER,
                leeway=self.leeway,
                options={"require": _REQUIRED},
            )
        except jwt.ExpiredSignatureError:
            raise ForwardedIdentityError("the forwarded identity has expired") from None
        except jwt.InvalidAudienceError:
            raise ForwardedIdentityError("the forwarded identity is for another service") from None
        except jwt.MissingRequiredClaimError as exc:
            raise ForwardedIdentityError(
                f"the forwarded identity has no {exc.claim!r} claim"
            ) from None
        except jwt.PyJWTError:
            raise ForwardedIdentityError(
                "the forwarded identity's signature is not valid"
            ) from None
        subject, scope, schemes = claims["sub"], claims.get("scope", ""), claims.get("schemes", [])
        if not isinstance(subject, str) or not subject.strip():
            raise ForwardedIdentityError("the forwarded identity names no subject")
        if not isinstance(scope, str) or not isinstance(schemes, list):
            raise ForwardedIdentityError("the forwarded identity's scopes or schemes are malformed")
        identity = ForwardedIdentity(subject, tuple(scope.split()), tuple(str(s) for s in schemes))
        known = (
            identity,
            str(claims["htm"]),
            str(claims["htu"]),
            float(claims["exp"]) + self.leeway,
        )
        if len(self._verified) >= _CACHE_LIMIT:
            self._verified.clear()
        self._verified[token] = known
        return known
