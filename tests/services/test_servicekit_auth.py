"""servicekit.auth and servicekit.security: who calls, and may they."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from servicekit.auth import Identity, SpecIdentityAuthentication, key_id
from servicekit.security import enforce, enforce_operation, satisfies

from codegen.core.auth.bearer import token_scopes
from codegen.core.auth.defaults import DEV_API_KEY, DEV_JWT_SECRET
from codegen.core.auth.forwarded import generate_private_key
from tests.services.tokens import gateway_identity, make_token

factory = APIRequestFactory()


def authenticate(method: str = "GET", path: str = "/x", **headers: str) -> Identity | None:
    request = Request(factory.generic(method, path, headers=headers))
    result = SpecIdentityAuthentication().authenticate(request)
    return None if result is None else result[0]


PLAIN_HEADERS = {
    "X-Specfirst-Subject": "alice",
    "X-Specfirst-Scopes": "admin  orders:read",
    "X-Specfirst-Auth-Scheme": "bearerAuth, apiKeyAuth",
}


def test_the_gateway_signed_identity_is_trusted() -> None:
    signed = gateway_identity("GET", "/x", "alice", "admin orders:read", "bearerAuth,apiKeyAuth")
    assert authenticate(**signed) == Identity(
        subject="alice",
        scopes=frozenset({"admin", "orders:read"}),
        schemes=frozenset({"bearerAuth", "apiKeyAuth"}),
        via="gateway",
    )


def test_plain_identity_headers_are_ignored() -> None:
    assert authenticate(**PLAIN_HEADERS) is None


def test_plain_identity_headers_only_with_the_development_flag(settings: object) -> None:
    settings.SPECFIRST_TRUST_IDENTITY_HEADERS = True  # type: ignore[attr-defined]
    identity = authenticate(**PLAIN_HEADERS)
    assert identity is not None and (identity.subject, identity.via) == ("alice", "headers")


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


OTHER_KEY = generate_private_key()


@pytest.mark.parametrize(
    ("request_line", "signed", "message"),
    [
        (("GET", "/x"), lambda: _tampered(sign("GET", "/x")), "signature is not valid"),
        (("GET", "/x"), lambda: sign("GET", "/x", key=OTHER_KEY), "signature is not valid"),
        (("GET", "/x"), lambda: sign("GET", "/x", now=time.time() - 120), "has expired"),
        (("GET", "/y"), lambda: sign("GET", "/x"), "signed for another request"),
        (("DELETE", "/x"), lambda: sign("GET", "/x"), "signed for another request"),
        (("GET", "/x"), lambda: sign("GET", "/x", audience="orders"), "for another service"),
        (("GET", "/x"), lambda: make_token("alice", "admin"), "signature is not valid"),
        (("GET", "/x"), lambda: "eyJhbGciOiJub25lIn0.e30.", "signature is not valid"),
    ],
)
def test_a_forwarded_identity_that_does_not_verify_is_401(
    request_line: tuple[str, str], signed: Callable[[], str], message: str
) -> None:
    """Forged, tampered, expired, replayed elsewhere: 401, never anonymous or trusted."""
    method, path = request_line
    with pytest.raises(exceptions.AuthenticationFailed, match=message):
        authenticate(method, path, **{"X-Specfirst-Identity": signed(), **PLAIN_HEADERS})


def sign(method: str, path: str, **options: Any) -> str:
    return gateway_identity(method, path, "mallory", "admin", **options)["X-Specfirst-Identity"]


def test_no_credentials_is_anonymous() -> None:
    assert authenticate() is None


def test_valid_bearer_token() -> None:
    identity = authenticate(Authorization=f"Bearer {make_token('bob', 'admin customers:read')}")
    assert identity is not None
    assert identity.subject == "bob"
    assert identity.scopes == frozenset({"admin", "customers:read"})
    assert identity.schemes == frozenset({"bearerAuth"})
    assert identity.via == "direct"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (make_token("bob", lifetime=-10), "expired"),
        (
            make_token("bob", secret="another-secret-that-is-long-enough-for-hs256"),
            "signature is not valid",
        ),
        ("not.a.jwt", "not a well-formed JWT"),
    ],
)
def test_invalid_bearer_token_is_401(token: str, message: str) -> None:
    with pytest.raises(exceptions.AuthenticationFailed, match=message):
        authenticate(Authorization=f"Bearer {token}")


def test_alg_none_is_refused() -> None:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    token = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'sub': 'x', 'exp': 9999999999})}."
    with pytest.raises(exceptions.AuthenticationFailed):
        authenticate(Authorization=f"Bearer {token}")


def test_token_without_exp_is_refused() -> None:

    token = jwt.encode({"sub": "x"}, DEV_JWT_SECRET, algorithm="HS256")
    with pytest.raises(exceptions.AuthenticationFailed, match="exp"):
        authenticate(Authorization=f"Bearer {token}")


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"aud": "elsewhere"}, "audience is not accepted"),
        ({"iss": "someone-else"}, "issuer is not accepted"),
        ({"aud": None}, "no 'aud' claim"),
        ({"iss": None}, "no 'iss' claim"),
        ({"sub": None}, "names no subject"),
        ({"sub": ""}, "names no subject"),
        ({"sub": "  "}, "names no subject"),
    ],
)
def test_issuer_audience_and_subject_are_required(claims: dict[str, object], message: str) -> None:
    """A bearer verified by the service itself must name its issuer, audience and subject."""
    payload = jwt.decode(make_token("bob", "admin"), options={"verify_signature": False})
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    token = jwt.encode(payload, DEV_JWT_SECRET, algorithm="HS256")
    with pytest.raises(exceptions.AuthenticationFailed, match=message):
        authenticate(Authorization=f"Bearer {token}")


def test_configured_audience_is_the_one_checked(settings: object) -> None:
    settings.SPECFIRST_JWT_AUDIENCE = "shop"  # type: ignore[attr-defined]
    with pytest.raises(exceptions.AuthenticationFailed):
        authenticate(Authorization=f"Bearer {make_token('bob')}")
    identity = authenticate(Authorization=f"Bearer {make_token('bob', aud='shop')}")
    assert identity is not None and identity.subject == "bob"


def test_valid_api_key() -> None:
    identity = authenticate(**{"X-API-Key": DEV_API_KEY})
    assert identity is not None
    assert identity.subject == key_id(DEV_API_KEY)
    assert identity.schemes == frozenset({"apiKeyAuth"})


def test_invalid_api_key_is_401() -> None:
    with pytest.raises(exceptions.AuthenticationFailed, match="X-API-Key"):
        authenticate(**{"X-API-Key": "guess"})


def test_key_id_does_not_reveal_the_key() -> None:
    assert key_id("abc") == key_id("abc")
    assert "abc" not in key_id("abc")
    assert key_id("abc").startswith("api-key:")


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"scope": "a b"}, {"a", "b"}),
        ({"scopes": ["a", "b"]}, {"a", "b"}),
        ({"scp": ["c"], "scope": "a"}, {"a", "c"}),
        ({}, set()),
    ],
)
def test_scopes_from_claims(claims: dict[str, object], expected: set[str]) -> None:
    assert frozenset(token_scopes(claims)) == frozenset(expected)


ALICE = Identity("alice", frozenset({"read"}), frozenset({"bearerAuth"}), "direct")


@pytest.mark.parametrize(
    ("identity", "requirements", "expected"),
    [
        (None, (), True),
        (None, ((),), True),
        (None, ((("bearerAuth", ()),),), False),
        (ALICE, ((("bearerAuth", ()),),), True),
        (ALICE, ((("bearerAuth", ("read",)),),), True),
        (ALICE, ((("bearerAuth", ("write",)),),), False),
        (ALICE, ((("apiKeyAuth", ()),),), False),
        (ALICE, ((("apiKeyAuth", ()),), (("bearerAuth", ()),)), True),
        (ALICE, ((("apiKeyAuth", ()), ("bearerAuth", ())),), False),
    ],
)
def test_satisfies(identity: Identity | None, requirements: object, expected: bool) -> None:
    assert satisfies(identity, requirements) is expected  # type: ignore[arg-type]


def _request_as(identity: Identity | None) -> Request:
    request = Request(factory.get("/x"))
    request.user = identity
    return request


def test_enforce_without_credentials_is_401() -> None:
    with pytest.raises(exceptions.NotAuthenticated, match="bearerAuth"):
        enforce(_request_as(None), ((("bearerAuth", ()),),))


def test_enforce_with_wrong_scheme_is_401() -> None:
    with pytest.raises(exceptions.NotAuthenticated, match="apiKeyAuth"):
        enforce(_request_as(ALICE), ((("apiKeyAuth", ()),),))


def test_enforce_with_missing_scope_is_403() -> None:
    with pytest.raises(exceptions.PermissionDenied):
        enforce(_request_as(ALICE), ((("bearerAuth", ("write",)),),))


def test_enforce_operation_reads_the_spec() -> None:
    assert enforce_operation(_request_as(None), "listProducts") is None
    with pytest.raises(exceptions.NotAuthenticated):
        enforce_operation(_request_as(None), "createProduct")
    assert enforce_operation(_request_as(ALICE), "listOrders") is ALICE
