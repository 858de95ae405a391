"""The token endpoint's grants: a token request in, tokens or an :class:`OAuthError` out.

=====================  ===================================================================
``password``           a customer's email address and password (RFC 6749 §4.3); the token's
                       ``sub`` is the customer id; comes with a refresh token
``client_credentials`` a client's id and secret (§4.4); ``sub`` is the client id, the scopes
                       are the client's (or the requested subset); no refresh token
``refresh_token``      a refresh token (§6), used once: the answer carries its successor
=====================  ===================================================================

A client authenticates with HTTP Basic or ``client_id``/``client_secret`` in
the form, never both (§2.3.1). Failed logins count against the username (or
client id) and the client IP (:mod:`customers.oauth.throttle`).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote_plus

from django.contrib.auth.hashers import check_password
from servicekit.contract.records import ABSENT, Absent

from customers.api._generated import bodies, replies
from customers.models import Customer, OAuthClient
from customers.oauth import clients, tokens
from customers.oauth.throttle import login_throttle


class OAuthError(Exception):
    """An RFC 6749 §5.2 error: ``error`` code, a description, the HTTP status."""

    def __init__(self, error: str, description: str, status: Literal[400, 401] = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> replies.OAuthError:
        return {"error": self.error, "error_description": self.description}


def sent(value: str | Absent) -> str:
    """A form member as text, ``""`` when not sent (OAuth treats both alike)."""
    return "" if value is ABSENT else value


def required(value: str | Absent, name: str) -> str:
    """A form member the grant needs (RFC 6749 §5.2 ``invalid_request`` without it)."""
    if not sent(value):
        raise OAuthError("invalid_request", f"The parameter {name!r} is required.")
    return sent(value)


@dataclass(frozen=True, slots=True)
class TokenRequest:
    form: bodies.TokenRequest
    authorization: str  # the Authorization header, "" when absent
    client_ip: str

    def scopes(self) -> tuple[str, ...] | None:
        """The requested scopes, ``None`` when the request names none."""
        return tuple(dict.fromkeys(sent(self.form.scope).split())) or None


def _basic(authorization: str) -> tuple[str, str] | None:
    """``Basic base64(urlencode(id):urlencode(secret))`` -> (id, secret); None without Basic."""
    kind, _, value = authorization.partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _bad_client("The Basic credentials are not base64 of 'id:secret'.") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise _bad_client("The Basic credentials are not base64 of 'id:secret'.")
    return unquote_plus(client_id), unquote_plus(secret)


def _bad_client(description: str) -> OAuthError:
    return OAuthError("invalid_client", description, status=401)


def client_credentials(request: TokenRequest) -> tuple[str, str] | None:
    """The client's (id, secret) from Basic or the form; None when none is sent."""
    basic = _basic(request.authorization)
    if basic is not None:
        if sent(request.form.client_secret):
            raise OAuthError(
                "invalid_request", "Send the client's credentials once: Basic or the form."
            )
        return basic
    if sent(request.form.client_secret):
        return required(request.form.client_id, "client_id"), sent(request.form.client_secret)
    return None


def _authenticated_client(request: TokenRequest, sent: tuple[str, str]) -> OAuthClient:
    throttle = login_throttle()
    throttle.check(sent[0], request.client_ip)
    client = clients.authenticate(*sent)
    if client is None:
        throttle.failed(sent[0], request.client_ip)
        raise _bad_client("The client id or secret is not correct.")
    return client


def _granted(requested: tuple[str, ...] | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if requested is None:
        return allowed
    extra = [scope for scope in requested if scope not in allowed]
    if extra:
        raise OAuthError("invalid_scope", f"The scope {extra[0]!r} cannot be granted here.")
    return requested


def _answer(grant: tokens.Grant, refresh: str | None) -> replies.TokenResponse:
    token, lifetime = tokens.access_token(grant)
    answer: replies.TokenResponse = {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime,
    }
    if refresh is not None:
        answer["refresh_token"] = refresh
    if grant.scopes:
        answer["scope"] = " ".join(grant.scopes)
    return answer


def password_grant(request: TokenRequest) -> replies.TokenResponse:
    username = required(request.form.username, "username")
    password = required(request.form.password, "password")
    sent = client_credentials(request)
    client_id = _authenticated_client(request, sent).client_id if sent else ""
    throttle = login_throttle()
    throttle.check(username, request.client_ip)
    customer = Customer.objects.filter(email_key=username.strip().lower()).first()
    valid = check_password(password, customer.password_hash if customer else clients.dummy_hash())
    if customer is None or not valid:
        throttle.failed(username, request.client_ip)
        raise OAuthError("invalid_grant", "The username or password is not correct.")
    throttle.succeeded(username)
    grant = tokens.Grant(str(customer.pk), _granted(request.scopes(), ()), client_id)
    return _answer(grant, tokens.new_refresh_token(customer, grant))


def client_credentials_grant(request: TokenRequest) -> replies.TokenResponse:
    sent = client_credentials(request)
    if sent is None:
        raise _bad_client("The client_credentials grant needs the client's id and secret.")
    client = _authenticated_client(request, sent)
    allowed = tuple(client.scopes.split())
    return _answer(tokens.Grant(client.client_id, _granted(request.scopes(), allowed), ""), None)


def refresh_token_grant(request: TokenRequest) -> replies.TokenResponse:
    value = required(request.form.refresh_token, "refresh_token")
    sent = client_credentials(request)
    client_id = _authenticated_client(request, sent).client_id if sent else ""
    throttle = login_throttle()
    throttle.check(None, request.client_ip)
    try:
        used, first = tokens.use_refresh_token(value)
    except tokens.RefreshRefused as exc:
        throttle.failed(None, request.client_ip)
        raise OAuthError("invalid_grant", str(exc)) from None
    if not first:
        raise OAuthError(
            "invalid_grant",
            "The refresh token was used already; every token of this login is revoked.",
        )
    if used.client_id != client_id:
        tokens.revoke_family(used.family)
        raise OAuthError("invalid_grant", "The refresh token was issued to another client.")
    grant = tokens.Grant(
        str(used.customer_id), _granted(request.scopes(), tuple(used.scope.split())), client_id
    )
    return _answer(grant, tokens.new_refresh_token(used.customer, grant, used.family))


GRANTS: Mapping[str, Callable[[TokenRequest], replies.TokenResponse]] = {
    "password": password_grant,
    "client_credentials": client_credentials_grant,
    "refresh_token": refresh_token_grant,
}


def issue(request: TokenRequest) -> replies.TokenResponse:
    """The token response for ``request``; raises :class:`OAuthError` or ``Throttled``."""
    grant_type = required(request.form.grant_type, "grant_type")
    handler = GRANTS.get(grant_type)
    if handler is None:
        raise OAuthError(
            "unsupported_grant_type",
            f"The grant type {grant_type!r} is not supported; use one of: {', '.join(GRANTS)}.",
        )
    return handler(request)
