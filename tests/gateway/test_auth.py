"""Edge security in process: the JWT verifier and the requirement logic."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from codegen.core.auth.bearer import InvalidToken, JwksError, JwtVerifier, load_jwks, token_scopes
from gateway.auth.policy import Credentials, Denial, Identity, SecurityPolicy
from gateway.config import ApiKey

SECRET = "a-secret-that-is-long-enough-for-hs256"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwks_file(tmp_path: Path, **extra: Any) -> Path:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    jwk.update(extra)
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk, {"kty": "oct", "k": "c2VjcmV0"}]}))
    return path


def claims(**extra: Any) -> dict[str, Any]:
    return {"sub": "alice", "exp": int(time.time()) + 60, "scope": "a b", **extra}


def test_hs256_and_rs256_tokens_verify(tmp_path: Path) -> None:
    verifier = JwtVerifier(secret=SECRET, jwks_file=jwks_file(tmp_path, kid="k1"))
    assert verifier.verify(jwt.encode(claims(), SECRET, algorithm="HS256"))["sub"] == "alice"
    token = jwt.encode(claims(sub="bob"), KEY, algorithm="RS256", headers={"kid": "k1"})
    assert verifier.verify(token)["sub"] == "bob"


def test_only_rsa_keys_are_loaded(tmp_path: Path) -> None:
    assert list(load_jwks(jwks_file(tmp_path, kid="k1"))) == ["k1"]
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    with pytest.raises(JwksError, match="a JWKS must be an object with a 'keys' array"):
        load_jwks(bad)


@pytest.mark.parametrize(
    ("secret", "use_rsa", "message"),
    [
        (None, False, "HS256 tokens are not accepted"),
        (SECRET, True, "the token's signing key is not known"),
    ],
)
def test_keys_come_from_configuration(
    tmp_path: Path, secret: str | None, use_rsa: bool, message: str
) -> None:
    verifier = JwtVerifier(secret=secret, jwks_file=None)
    token = (
        jwt.encode(claims(), KEY, algorithm="RS256")
        if use_rsa
        else jwt.encode(claims(), SECRET, algorithm="HS256")
    )
    with pytest.raises(InvalidToken, match=message):
        verifier.verify(token)


def test_key_alg_must_match_token_alg(tmp_path: Path) -> None:
    verifier = JwtVerifier(jwks_file=jwks_file(tmp_path, kid="k1", alg="RS512"))
    token = jwt.encode(claims(), KEY, algorithm="RS256", headers={"kid": "k1"})
    with pytest.raises(InvalidToken, match="the key 'k1' is not for RS256"):
        verifier.verify(token)


def test_algorithm_confusion_is_refused(tmp_path: Path) -> None:
    """An HS256 token 'signed' with the RSA public key (PEM) as HMAC secret."""
    public_pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT","kid":"k1"}')
    payload = jwt.utils.base64url_encode(json.dumps(claims()).encode())
    signature = jwt.utils.base64url_encode(
        hmac.new(public_pem, header + b"." + payload, hashlib.sha256).digest()
    )
    token = b".".join([header, payload, signature]).decode()
    verifier = JwtVerifier(secret=None, jwks_file=jwks_file(tmp_path, kid="k1"))
    with pytest.raises(InvalidToken, match="HS256 tokens are not accepted"):
        verifier.verify(token)


def test_alg_none_and_unknown_algorithms_are_refused() -> None:
    verifier = JwtVerifier(secret=SECRET)
    with pytest.raises(InvalidToken, match="alg 'none' is not accepted"):
        verifier.verify(jwt.encode(claims(), "", algorithm="none"))
    header = jwt.utils.base64url_encode(b'{"alg":"ES256"}').decode()
    with pytest.raises(InvalidToken, match="alg 'ES256' is not accepted"):
        verifier.verify(f"{header}.e30.c2ln")


def test_scopes_from_scope_or_scp() -> None:
    assert token_scopes({"scope": "a b"}) == ("a", "b")
    assert token_scopes({"scp": ["a", "c"]}) == ("a", "c")
    assert token_scopes({"scp": "x y"}) == ("x", "y")
    assert token_scopes({}) == ()


SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
    "basic": {"type": "http", "scheme": "basic"},
}


def policy() -> SecurityPolicy:
    keys = [ApiKey(hashlib.sha256(b"k1").hexdigest(), "bot", ("read",))]
    return SecurityPolicy(SCHEMES, JwtVerifier(secret=SECRET), keys)


def creds(headers: dict[str, str], query: bytes = b"") -> Credentials:
    return Credentials([(k.lower().encode(), v.encode()) for k, v in headers.items()], query)


def test_or_of_requirements_and_of_schemes() -> None:
    token = jwt.encode(claims(), SECRET, algorithm="HS256")
    bearer = {"Authorization": f"Bearer {token}"}
    both = [{"bearer": ("a",), "key": ("read",)}]
    assert isinstance(policy().check(both, creds(bearer)), Denial)
    identity = policy().check(both, creds({**bearer, "X-API-Key": "k1"}))
    assert identity == Identity(
        "alice", ("a", "b", "read"), "bearer,key", api_key=False, client="bot"
    )
    either = [{"bearer": ()}, {"key": ()}]
    assert policy().check(either, creds({"X-API-Key": "k1"})) == Identity(
        "bot", ("read",), "key", api_key=True, client="bot"
    )
    assert policy().check([{}], creds({})) == Identity("", (), "")


def test_denials_are_401_with_challenges_or_403() -> None:
    token = jwt.encode(claims(scope="a"), SECRET, algorithm="HS256")
    missing = policy().check([{"bearer": ()}, {"key": ()}], creds({}))
    assert missing == Denial(
        401,
        "a bearer token is required",
        ('Bearer realm="specfirst"', 'ApiKey realm="specfirst", header="X-API-Key"'),
    )
    scope = policy().check([{"bearer": ("admin",)}], creds({"Authorization": f"Bearer {token}"}))
    assert scope == Denial(403, "the credentials of 'bearer' lack the scope 'admin'")
    basic = policy().check([{"basic": ()}], creds({"Authorization": "Basic eDp5"}))
    assert basic == Denial(401, "the security scheme 'basic' cannot be verified by the gateway")


def test_cookie_api_key() -> None:
    found = policy().check([{"cookie": ()}], creds({"Cookie": "a=b; session=k1"}))
    assert found == Identity("bot", ("read",), "cookie", api_key=True, client="bot")
