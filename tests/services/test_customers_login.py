"""The login (``POST /oauth/token``) and its keys (``GET /.well-known/jwks.json``), in process.

Tokens are verified the way an outside verifier would: with PyJWT and the
public key the JWKS publishes, never with the service's own code.
"""

from __future__ import annotations

import base64
import datetime
import io
from typing import Any
from urllib.parse import urlencode

import jwt
import pytest
from customers.models import RefreshToken, SigningKey
from customers.oauth import clients, keys
from customers.oauth.throttle import login_throttle
from django.core.management import call_command
from django.utils import timezone

from codegen.core.auth.defaults import DEV_JWT_AUDIENCE, DEV_JWT_ISSUER
from tests.services.conftest import Api, create_customer
from tests.services.problems import assert_problem

FORM = "application/x-www-form-urlencoded"
PASSWORD = "correct horse"  # tests.services.conftest.customer_body


@pytest.fixture(autouse=True)
def fresh_throttle() -> Any:
    login_throttle.cache_clear()
    yield
    login_throttle.cache_clear()


def token(api: Api, headers: dict[str, str] | None = None, **form: str) -> Any:
    return api.call("POST", "/oauth/token", headers=headers, raw=urlencode(form), content_type=FORM)


def basic(client_id: str, secret: str) -> dict[str, str]:
    value = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {value}"}


def verify(api: Api, access_token: str) -> dict[str, Any]:
    """The claims of ``access_token``, checked against the published JWKS only."""
    jwks = api.call("GET", "/.well-known/jwks.json").json()
    kid = jwt.get_unverified_header(access_token)["kid"]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    claims: dict[str, Any] = jwt.decode(
        access_token,
        jwt.PyJWK(jwk).key,
        algorithms=["RS256"],
        audience=DEV_JWT_AUDIENCE,
        issuer=DEV_JWT_ISSUER,
    )
    return claims


def oauth_error(response: Any, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body: dict[str, Any] = response.json()
    assert body["error"] == error and body["error_description"], body
    return body


def test_password_grant_issues_an_rs256_token_the_jwks_verifies(api: Api) -> None:
    ada = create_customer(api, "Ada@Example.com")
    response = token(api, grant_type="password", username="ada@example.com", password=PASSWORD)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["refresh_token"] and "scope" not in body
    claims = verify(api, body["access_token"])
    assert claims["sub"] == ada["id"] and claims["exp"] - claims["iat"] == 900
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "RS256" and header["typ"] == "at+jwt"
    jwks = api.call("GET", "/.well-known/jwks.json")
    assert jwks["Cache-Control"] == "public, max-age=300"
    assert [k["kid"] for k in jwks.json()["keys"]] == [header["kid"]]
    assert set(jwks.json()["keys"][0]) == {"kty", "kid", "use", "alg", "n", "e"}


def test_the_jwks_publishes_the_first_tokens_key_before_any_login(api: Api) -> None:
    """A verifier that fetches at start (the gateway) must already hold the key
    of the first token issued afterwards."""
    published = [k["kid"] for k in api.call("GET", "/.well-known/jwks.json").json()["keys"]]
    create_customer(api)
    response = token(api, grant_type="password", username="ada@example.com", password=PASSWORD)
    assert response.status_code == 200, response.content
    assert published == [jwt.get_unverified_header(response.json()["access_token"])["kid"]]


def test_wrong_password_and_unknown_user_are_the_same_invalid_grant(api: Api) -> None:
    create_customer(api)
    wrong = token(api, grant_type="password", username="ada@example.com", password="nope-nope")
    unknown = token(api, grant_type="password", username="bob@example.com", password=PASSWORD)
    assert oauth_error(wrong, 400, "invalid_grant") == oauth_error(unknown, 400, "invalid_grant")
    oauth_error(token(api, grant_type="password", username="x"), 400, "invalid_request")
    oauth_error(token(api, username="x", password="y"), 400, "invalid_request")
    oauth_error(token(api, grant_type="implicit"), 400, "unsupported_grant_type")
    scoped = token(
        api, grant_type="password", username="ada@example.com", password=PASSWORD, scope="admin"
    )
    oauth_error(scoped, 400, "invalid_scope")


def test_client_credentials_by_basic_or_form_with_the_clients_scopes(api: Api) -> None:
    secret = clients.create_client("orders", ["customers:read", "orders:write"])
    by_basic = token(api, basic("orders", secret), grant_type="client_credentials")
    assert by_basic.status_code == 200, by_basic.content
    assert by_basic.json()["scope"] == "customers:read orders:write"
    assert "refresh_token" not in by_basic.json()
    assert verify(api, by_basic.json()["access_token"])["sub"] == "orders"
    by_form = token(
        api,
        grant_type="client_credentials",
        client_id="orders",
        client_secret=secret,
        scope="customers:read",
    )
    assert verify(api, by_form.json()["access_token"])["scope"] == "customers:read"
    wrong = token(api, basic("orders", "guess"), grant_type="client_credentials")
    oauth_error(wrong, 401, "invalid_client")
    assert wrong["WWW-Authenticate"] == 'Basic realm="customers"'
    oauth_error(token(api, grant_type="client_credentials"), 401, "invalid_client")
    too_much = token(api, basic("orders", secret), grant_type="client_credentials", scope="admin")
    oauth_error(too_much, 400, "invalid_scope")
    both = token(
        api, basic("orders", secret), grant_type="client_credentials", client_secret=secret
    )
    oauth_error(both, 400, "invalid_request")
    garbled = token(api, {"Authorization": "Basic !!"}, grant_type="client_credentials")
    oauth_error(garbled, 401, "invalid_client")


def test_an_admin_from_createadmin_can_list_customers_through_its_token(api: Api) -> None:
    out = io.StringIO()
    call_command("createadmin", stdout=out)
    secret = next(
        line.split()[-1]
        for line in out.getvalue().splitlines()
        if line.startswith("client_") and "secret" in line
    )
    response = token(api, basic("admin", secret), grant_type="client_credentials")
    claims = verify(api, response.json()["access_token"])
    assert (claims["sub"], claims["scope"]) == ("admin", "admin")
    with pytest.raises(Exception, match="exists already"):
        call_command("createadmin", stdout=io.StringIO())


def login(api: Api) -> dict[str, Any]:
    response = token(api, grant_type="password", username="ada@example.com", password=PASSWORD)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_refresh_rotates_and_reuse_revokes_the_family(api: Api) -> None:
    ada = create_customer(api)
    first = login(api)
    second = token(api, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200, second.content
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert verify(api, second.json()["access_token"])["sub"] == ada["id"]
    reuse = token(api, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert "revoked" in oauth_error(reuse, 400, "invalid_grant")["error_description"]
    # the thief's reuse also ends the owner's successor token
    successor = token(api, grant_type="refresh_token", refresh_token=second.json()["refresh_token"])
    oauth_error(successor, 400, "invalid_grant")
    assert RefreshToken.objects.filter(revoked_at__isnull=True).count() == 0
    # another login is another family, unaffected
    third = login(api)
    again = token(api, grant_type="refresh_token", refresh_token=third["refresh_token"])
    assert again.status_code == 200
    unknown = token(api, grant_type="refresh_token", refresh_token="not-a-token")
    oauth_error(unknown, 400, "invalid_grant")


def test_refresh_token_is_bound_to_its_client_and_expires(api: Api, settings: Any) -> None:
    create_customer(api)
    secret = clients.create_client("web", [])
    issued = token(
        api, basic("web", secret), grant_type="password", username="ada@example.com",
        password=PASSWORD,
    )  # fmt: skip
    refresh = issued.json()["refresh_token"]
    anonymous = token(api, grant_type="refresh_token", refresh_token=refresh)
    assert "another client" in oauth_error(anonymous, 400, "invalid_grant")["error_description"]
    stale = login(api)["refresh_token"]
    RefreshToken.objects.filter(used_at__isnull=True).update(expires_at=timezone.now())
    expired = token(api, grant_type="refresh_token", refresh_token=stale)
    assert "expired" in oauth_error(expired, 400, "invalid_grant")["error_description"]


def test_failed_logins_are_throttled_per_username_with_retry_after(api: Api, settings: Any) -> None:
    create_customer(api)
    for _ in range(5):
        oauth_error(
            token(api, grant_type="password", username="ada@example.com", password="wrong-pw"),
            400,
            "invalid_grant",
        )
    throttled = token(api, grant_type="password", username="ADA@example.com", password=PASSWORD)
    body = assert_problem(throttled, 429, "this username")
    assert body["code"] == "login_throttled"
    assert 290 <= int(throttled["Retry-After"]) <= 300
    other = create_customer(api, "grace@example.com")
    fine = token(api, grant_type="password", username="grace@example.com", password=PASSWORD)
    assert verify(api, fine.json()["access_token"])["sub"] == other["id"]


def test_failed_logins_are_throttled_per_client_ip_behind_a_trusted_proxy(
    api: Api, settings: Any
) -> None:
    settings.SPECFIRST_LOGIN_FAILURES_PER_IP = 3
    create_customer(api)

    def attempt(forwarded_for: str, username: str, password: str = "wrong-pw") -> Any:
        return token(
            api, {"X-Forwarded-For": forwarded_for}, grant_type="password", username=username,
            password=password,
        )  # fmt: skip

    for n in range(3):  # the test client's REMOTE_ADDR is 127.0.0.1: a trusted proxy
        oauth_error(attempt("6.6.6.6", f"user{n}@example.com"), 400, "invalid_grant")
    assert_problem(attempt("6.6.6.6", "ada@example.com", PASSWORD), 429, "this address")
    assert attempt("7.7.7.7", "ada@example.com", PASSWORD).status_code == 200
    # a client cannot pick its address: only the hop the proxy appended counts
    spoofed = attempt("7.7.7.7, 6.6.6.6", "ada@example.com", PASSWORD)
    assert spoofed.status_code == 429


def test_rotation_keeps_the_old_key_published_until_its_tokens_expire(api: Api) -> None:
    create_customer(api)
    before = login(api)["access_token"]
    old_kid = jwt.get_unverified_header(before)["kid"]
    call_command("rotatekeys", stdout=io.StringIO())
    after = login(api)["access_token"]
    new_kid = jwt.get_unverified_header(after)["kid"]
    assert new_kid != old_kid
    published = [k["kid"] for k in api.call("GET", "/.well-known/jwks.json").json()["keys"]]
    assert published == [new_kid, old_kid]
    assert verify(api, before)["sub"] == verify(api, after)["sub"]
    # once every token of the old key has expired, it is no longer published, then deleted
    long_ago = timezone.now() - datetime.timedelta(seconds=900) - keys.PUBLISH_MARGIN
    SigningKey.objects.filter(kid=old_kid).update(retired_at=long_ago - datetime.timedelta(1))
    published = [k["kid"] for k in api.call("GET", "/.well-known/jwks.json").json()["keys"]]
    assert published == [new_kid]
    out = io.StringIO()
    call_command("rotatekeys", stdout=out)
    assert f"deleted:     {old_kid}" in out.getvalue()
    assert not SigningKey.objects.filter(kid=old_kid).exists()


def test_createclient_takes_the_secret_from_the_environment(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERS_SECRET", "s3cret-from-env")
    out = io.StringIO()
    call_command(
        "createclient", "orders", "--scope", "customers:read", "--secret-env", "ORDERS_SECRET",
        stdout=out,
    )  # fmt: skip
    assert "s3cret-from-env" not in out.getvalue()
    response = token(api, basic("orders", "s3cret-from-env"), grant_type="client_credentials")
    assert response.json()["scope"] == "customers:read"
    with pytest.raises(Exception, match="must be 1-100"):
        call_command("createclient", "bad id", stdout=io.StringIO())


def test_the_token_endpoint_speaks_form_only(api: Api) -> None:
    as_json = api.call("POST", "/oauth/token", {"grant_type": "password"})
    assert_problem(as_json, 415)
