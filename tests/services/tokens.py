"""Bearer tokens and forwarded identities for tests, signed as a developer or the gateway would."""

from __future__ import annotations

import time
from typing import Any

import jwt

from codegen.core.auth.defaults import (
    DEV_IDENTITY_PRIVATE_KEY,
    DEV_JWT_AUDIENCE,
    DEV_JWT_ISSUER,
    DEV_JWT_SECRET,
)
from codegen.core.auth.forwarded import IDENTITY_HEADER, ForwardedIdentity, IdentitySigner


def make_token(
    subject: str,
    scopes: str = "",
    *,
    lifetime: int = 300,
    secret: str = DEV_JWT_SECRET,
    algorithm: str = "HS256",
    **claims: Any,
) -> str:
    """``make_token("alice", "admin")`` -> an HS256 JWT with sub, scope, iss, aud, iat and exp."""
    now = int(time.time())
    payload = {
        "sub": subject,
        "scope": scopes,
        "iss": DEV_JWT_ISSUER,
        "aud": DEV_JWT_AUDIENCE,
        "iat": now,
        "exp": now + lifetime,
        **claims,
    }
    return jwt.encode(payload, secret, algorithm=algorithm)


def bearer(subject: str, scopes: str = "", **kwargs: Any) -> dict[str, str]:
    """Request headers carrying a valid bearer token."""
    return {"Authorization": f"Bearer {make_token(subject, scopes, **kwargs)}"}


def gateway_identity(
    method: str,
    path: str,
    subject: str,
    scopes: str = "",
    schemes: str = "bearerAuth",
    *,
    audience: str = "catalog",
    key: str = DEV_IDENTITY_PRIVATE_KEY,
    now: float | None = None,
) -> dict[str, str]:
    """The header the gateway sends for ``method path`` to service ``audience``
    (the test session's service is ``catalog``)."""
    identity = ForwardedIdentity(subject, tuple(scopes.split()), tuple(schemes.split(",")))
    token = IdentitySigner(key).sign(identity, audience=audience, method=method, path=path, now=now)
    return {IDENTITY_HEADER: token}
