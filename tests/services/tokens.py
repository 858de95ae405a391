"""Bearer tokens for tests, signed like the gateway or a developer would."""

from __future__ import annotations

import time
from typing import Any

import jwt

from codegen.core.auth.defaults import DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET


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
