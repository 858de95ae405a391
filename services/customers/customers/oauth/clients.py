"""OAuth clients (RFC 6749 §2): services and admins that log in with a secret.

A client's secret is shown once, when it is created, and stored as a Django
password hash. An admin is a client whose scopes hold ``admin``
(``manage.py createadmin``); a service client gets the scopes it needs
(``manage.py createclient orders --scope customers:read``).
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError

from customers.models import OAuthClient

CLIENT_ID = re.compile(r"[A-Za-z0-9._~-]{1,100}")


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash of a random secret, checked when the client (or customer) is unknown,
    so that an unknown name costs the same time as a wrong secret."""
    return make_password(secrets.token_urlsafe(16))


class ClientExists(ValueError):
    """The client id is taken."""


def create_client(client_id: str, scopes: list[str], secret: str | None = None) -> str:
    """Register a client; returns its secret (generated unless given)."""
    if not CLIENT_ID.fullmatch(client_id):
        raise ValueError(f"client id {client_id!r} must be 1-100 of A-Z a-z 0-9 . _ ~ -")
    secret = secret or secrets.token_urlsafe(32)
    try:
        OAuthClient.objects.create(
            client_id=client_id,
            secret_hash=make_password(secret),
            scopes=" ".join(dict.fromkeys(scopes)),
        )
    except IntegrityError:
        raise ClientExists(f"a client {client_id!r} exists already") from None
    return secret


def authenticate(client_id: str, secret: str) -> OAuthClient | None:
    """The client, if ``secret`` is its secret."""
    client = OAuthClient.objects.filter(client_id=client_id).first()
    if client is None:
        check_password(secret, dummy_hash())
        return None
    return client if check_password(secret, client.secret_hash) else None
