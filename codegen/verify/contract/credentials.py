"""Valid credentials for every security scheme a spec declares.

Services and the gateway are started with the development JWT secret and API
key (the same defaults as ``servicekit.settings``; ``SPECFIRST_JWT_SECRET`` and
``SPECFIRST_TEST_API_KEY`` override them), so the tests mint a token the system
accepts and every printed curl command works against a service started by hand::

    creds = dev_credentials()
    creds.token  -> "eyJhbGciOiJIUzI1NiIs..." (HS256, sub=<uuid>, scope="admin", exp=+2h)
    auth_config({"bearerAuth": {"type": "http", "scheme": "bearer"}}, creds)
      -> {"openapi": {"bearerAuth": {"bearer": "eyJ..."}}}
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from codegen.core.auth.defaults import DEV_API_KEY, DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET

TOKEN_LIFETIME = 2 * 3600
# The subject of the minted token: a fixed UUID, so reproductions are stable.
CONTRACT_SUBJECT = "00000000-0000-4000-8000-00000000c0de"


@dataclass(frozen=True, slots=True)
class Credentials:
    jwt_secret: str
    api_key: str
    subject: str
    token: str


def mint_token(secret: str, subject: str, scope: str = "admin") -> str:
    """An HS256 JWT that services and the gateway accept for two hours
    (``iss``/``aud``: ``SPECFIRST_JWT_ISSUER``/``SPECFIRST_JWT_AUDIENCE`` or the defaults)."""
    now = int(time.time())
    claims = {
        "iss": os.environ.get("SPECFIRST_JWT_ISSUER") or DEV_JWT_ISSUER,
        "aud": os.environ.get("SPECFIRST_JWT_AUDIENCE") or DEV_JWT_AUDIENCE,
        "sub": subject,
        "scope": scope,
        "iat": now,
        "nbf": now - 5,
        "exp": now + TOKEN_LIFETIME,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def dev_credentials() -> Credentials:
    secret = os.environ.get("SPECFIRST_JWT_SECRET") or DEV_JWT_SECRET
    api_key = os.environ.get("SPECFIRST_TEST_API_KEY") or DEV_API_KEY
    return Credentials(secret, api_key, CONTRACT_SUBJECT, mint_token(secret, CONTRACT_SUBJECT))


def auth_config(schemes: Mapping[str, Any], creds: Credentials) -> dict[str, Any]:
    """schemathesis' ``auth.openapi`` table: one entry per scheme it can fill in."""
    entries: dict[str, Any] = {}
    for name, scheme in schemes.items():
        kind = scheme.get("type") if isinstance(scheme, Mapping) else None
        if kind == "apiKey":
            entries[name] = {"api_key": creds.api_key}
        elif kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            entries[name] = {"bearer": creds.token}
    return {"openapi": entries} if entries else {}


def auth_headers(schemes: Mapping[str, Any], creds: Credentials) -> dict[str, str]:
    """Headers carrying every header-borne credential at once (for seeding requests)."""
    headers: dict[str, str] = {}
    for scheme in schemes.values():
        if not isinstance(scheme, Mapping):
            continue
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            headers[str(scheme["name"])] = creds.api_key
        elif scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            headers["Authorization"] = f"Bearer {creds.token}"
    return headers
