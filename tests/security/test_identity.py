"""Identity that cannot be forged: not at the edge, not on a service's own port.

Against the real system (services on PostgreSQL, the gateway with Redis): plain
identity headers sent straight to a service name nobody; a forwarded identity
that is forged, tampered, expired, or replayed on another path, method or
service is a 401 problem; tokens without a subject are refused at the edge; and
the JWT attacks that held before keep holding at a gateway that verifies RS256
against a JWKS with an audience and an issuer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from codegen.core.auth.defaults import DEV_JWT_SECRET
from codegen.core.auth.forwarded import IDENTITY_HEADER, generate_private_key
from tests.gateway.conftest import Proc
from tests.security.shop import StockedShop, problem
from tests.security.system import ADMIN, EdgeSystem
from tests.services.tokens import gateway_identity

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

FORGED_HEADERS = {
    "X-Specfirst-Subject": "mallory",
    "X-Specfirst-Scopes": "admin customers:read",
    "X-Specfirst-Auth-Scheme": "bearerAuth",
}


def direct(edge: EdgeSystem, service: str) -> httpx.Client:
    return httpx.Client(base_url=edge.service_url(service), timeout=30)


@pytest.mark.parametrize(
    ("service", "method", "path"),
    [
        ("customers", "GET", "/customers"),
        ("orders", "GET", "/orders"),
        ("catalog", "POST", "/categories"),
    ],
)
def test_forged_identity_headers_straight_to_a_service_are_ignored(
    edge: EdgeSystem, service: str, method: str, path: str
) -> None:
    """The headers of an admin, sent to the service's port: the request stays anonymous."""
    with direct(edge, service) as client:
        response = client.request(method, path, headers=FORGED_HEADERS, json={})
    body = problem(response, 401)
    assert "mallory" not in json.dumps(body)


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def _signed(path: str, **options: Any) -> str:
    return gateway_identity(
        "GET", path, "ops", "admin", audience=options.pop("audience", "customers"), **options
    )[IDENTITY_HEADER]


ATTACKER_KEY = generate_private_key()


@pytest.mark.parametrize(
    ("make", "detail"),
    [
        (lambda p: _signed(p, key=ATTACKER_KEY), "signature is not valid"),
        (lambda p: _tampered(_signed(p)), "signature is not valid"),
        (lambda p: _signed(p, now=time.time() - 300), "has expired"),
        (lambda p: _signed(p + "/elsewhere"), "signed for another request"),
        (lambda p: _signed(p, audience="orders"), "for another service"),
        (lambda p: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.", "signature is not valid"),
    ],
)
def test_a_bad_forwarded_identity_on_a_service_port_is_401(
    edge: EdgeSystem, shop: StockedShop, make: Callable[[str], str], detail: str
) -> None:
    """A customer read needs an identity: the good one passes, every bad one is a 401."""
    path = f"/customers/{shop.customer}"
    with direct(edge, "customers") as client:
        good = client.get(path, headers={IDENTITY_HEADER: _signed(path)})
        assert good.status_code == 200, good.text
        bad = client.get(path, headers={IDENTITY_HEADER: make(path), **FORGED_HEADERS})
    assert detail in problem(bad, 401)["detail"]


def test_a_forwarded_identity_is_not_replayed_on_another_method(
    edge: EdgeSystem, shop: StockedShop
) -> None:
    path = f"/customers/{shop.customer}"
    with direct(edge, "customers") as client:
        response = client.delete(path, headers={IDENTITY_HEADER: _signed(path)})
    assert "signed for another request" in problem(response, 401)["detail"]


NO_SUBJECT = "the token names no subject (a non-empty 'sub' is required)"


@pytest.mark.parametrize(
    "claims",
    [{"scope": "admin"}, {"sub": "", "scope": "admin"}, {"sub": " ", "scope": "admin"}],
    ids=["no-sub", "empty-sub-admin", "blank-sub-admin"],
)
def test_tokens_without_a_subject_are_refused_at_the_edge(
    gateway: httpx.Client, claims: dict[str, Any]
) -> None:
    now = int(time.time())
    token = jwt.encode({**claims, "iat": now, "exp": now + 300}, DEV_JWT_SECRET)
    response = gateway.get("/customers", headers={"Authorization": f"Bearer {token}"})
    assert problem(response, 401, "unauthorized")["detail"] == NO_SUBJECT
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_the_gateway_signs_what_the_services_trust(gateway: httpx.Client) -> None:
    """The control: an admin token through the gateway reaches the admin-only list."""
    response = gateway.get("/customers", headers=ADMIN)
    assert response.status_code == 200, response.text


# -- JWT attacks at a gateway with a JWKS, an audience and an issuer -----------------------

AUDIENCE, ISSUER = "shop-api", "https://id.shop.test"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


@pytest.fixture(scope="module")
def rs256_gateway(edge: EdgeSystem, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    jwks = tmp_path_factory.mktemp("jwks") / "jwks.json"
    jwks.write_text(json.dumps({"keys": [_jwk(RSA_KEY, "k1")]}), encoding="utf-8")
    keys = {"jwks_file": str(jwks), "jwks_url": None}  # this file instead of the login's JWKS
    settings = {"auth": {**keys, "audience": AUDIENCE, "issuer": ISSUER}}
    with edge.gateway_with(settings) as proc:
        yield proc


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"sub": "security-admin", "scope": "admin", "aud": AUDIENCE, "iss": ISSUER,
              "iat": now, "exp": now + 300}  # fmt: skip
    return {**claims, **changes}


def _rs256(claims: dict[str, Any], **headers: Any) -> str:
    return jwt.encode(claims, RSA_KEY, algorithm="RS256", headers={"kid": "k1", **headers})


def _hs256_with_the_public_key() -> str:
    """Key confusion: HS256 keyed with the RSA public key's PEM (built by hand:
    PyJWT refuses to use a PEM as an HMAC secret)."""
    pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    segments = [
        base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=")
        for part in ({"alg": "HS256", "typ": "JWT", "kid": "k1"}, _claims())
    ]
    signing_input = b".".join(segments)
    signature = base64.urlsafe_b64encode(hmac.new(pem, signing_input, hashlib.sha256).digest())
    return (signing_input + b"." + signature.rstrip(b"=")).decode()


SIGNATURE = "the token's signature is not valid"
NOT_YET = "the token is not valid yet (nbf)"
JWT_ATTACKS: list[tuple[str, Callable[[], str], str]] = [
    ("alg-none", lambda: jwt.encode(_claims(), None, algorithm="none"),
     "alg 'none' is not accepted"),
    # HS256 is only ever checked against the configured secret, never a key of the JWKS
    ("hs256-key-confusion", _hs256_with_the_public_key, SIGNATURE),
    ("expired", lambda: _rs256(_claims(exp=int(time.time()) - 60)), "the token has expired"),
    ("nbf", lambda: _rs256(_claims(nbf=int(time.time()) + 600)), NOT_YET),
    ("wrong-aud", lambda: _rs256(_claims(aud="another-api")),
     "the token's audience is not accepted"),
    ("wrong-iss", lambda: _rs256(_claims(iss="https://evil.test")),
     "the token's issuer is not accepted"),
    ("unknown-kid", lambda: _rs256(_claims(), kid="k2"), "the token's signing key is not known"),
    ("jku", lambda: jwt.encode(_claims(), OTHER_RSA_KEY, algorithm="RS256",
                               headers={"kid": "k1", "jku": "http://127.0.0.1:1/jwks.json"}),
     SIGNATURE),
    ("ps256-for-rs256",
     lambda: jwt.encode(_claims(), RSA_KEY, algorithm="PS256", headers={"kid": "k1"}),
     "the key 'k1' is not for PS256"),
    ("no-sub", lambda: _rs256({k: v for k, v in _claims().items() if k != "sub"}), NO_SUBJECT),
    ("empty-sub-admin", lambda: _rs256(_claims(sub="")), NO_SUBJECT),
]  # fmt: skip


@pytest.mark.parametrize(("make", "detail"), [a[1:] for a in JWT_ATTACKS],
                         ids=[a[0] for a in JWT_ATTACKS])  # fmt: skip
def test_jwt_attacks_keep_failing_at_the_edge(
    rs256_gateway: Proc, make: Callable[[], str], detail: str
) -> None:
    with httpx.Client(base_url=rs256_gateway.url, timeout=30) as client:
        good = client.get("/customers", headers={"Authorization": f"Bearer {_rs256(_claims())}"})
        assert good.status_code == 200, good.text
        response = client.get("/customers", headers={"Authorization": f"Bearer {make()}"})
    assert problem(response, 401, "unauthorized")["detail"] == detail
