"""The login against the real processes: tokens from ``POST /oauth/token`` through the
gateway, the gateway's edge verification with the JWKS it fetches (rotation, unknown
``kid``, rate-limited and non-blocking refresh), refresh-token reuse and throttling.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.security.system import ADMIN, JWKS_MIN_REFRESH, EdgeSystem
from tests.support import customers
from tests.support.issuer import Issuer

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

PASSWORD = "correct horse battery"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def kid_of(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


def admin_client(edge: EdgeSystem) -> tuple[str, str]:
    return customers.create_admin(edge.environment)


def client_token(gateway: httpx.Client, client: tuple[str, str]) -> str:
    response = gateway.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=client)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return str(response.json()["access_token"])


def register(gateway: httpx.Client) -> tuple[str, str]:
    email = f"login-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "name": "Ada", "password": PASSWORD}
    created = gateway.post("/customers", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    return email, str(created.json()["id"])


def password_login(gateway: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    form = {"grant_type": "password", "username": email, "password": password}
    return gateway.post("/oauth/token", data=form)


def refresh_with(gateway: httpx.Client, refresh_token: str) -> httpx.Response:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return gateway.post("/oauth/token", data=form)


def test_tokens_from_the_login_pass_the_edge_and_a_rotated_key_is_fetched(
    edge: EdgeSystem, gateway: httpx.Client
) -> None:
    client = admin_client(edge)
    first = client_token(gateway, client)
    assert gateway.get("/customers", headers=bearer(first)).status_code == 200
    email, customer_id = register(gateway)
    login = password_login(gateway, email)
    assert login.status_code == 200, login.text
    own = bearer(login.json()["access_token"])
    assert gateway.get(f"/customers/{customer_id}", headers=own).status_code == 200
    not_admin = gateway.get("/customers", headers=own)
    assert not_admin.status_code == 403 and "admin" in not_admin.json()["detail"]

    customers.manage(edge.environment, "rotatekeys")
    time.sleep(JWKS_MIN_REFRESH)  # whatever fetched last, a refresh is allowed again
    second = client_token(gateway, client)
    assert kid_of(second) != kid_of(first)
    jwks = gateway.get("/.well-known/jwks.json").json()
    assert {kid_of(first), kid_of(second)} <= {key["kid"] for key in jwks["keys"]}
    for _ in range(6):  # both gateway workers meet the new kid, and keep the old one
        assert gateway.get("/customers", headers=bearer(second)).status_code == 200
        assert gateway.get("/customers", headers=bearer(first)).status_code == 200


def test_refresh_rotation_and_reuse_through_the_gateway(
    edge: EdgeSystem, gateway: httpx.Client
) -> None:
    email, customer_id = register(gateway)
    refresh = password_login(gateway, email).json()["refresh_token"]
    renewed = refresh_with(gateway, refresh)
    assert renewed.status_code == 200, renewed.text
    token = renewed.json()["access_token"]
    assert gateway.get(f"/customers/{customer_id}", headers=bearer(token)).status_code == 200
    reuse = refresh_with(gateway, refresh)
    assert reuse.status_code == 400
    assert reuse.headers["content-type"] == "application/json"
    assert reuse.json()["error"] == "invalid_grant"
    assert refresh_with(gateway, renewed.json()["refresh_token"]).json()["error"] == "invalid_grant"


def test_failed_logins_are_throttled_across_workers(
    edge: EdgeSystem, gateway: httpx.Client
) -> None:
    email, _ = register(gateway)
    for _ in range(5):  # the counters are in Redis: both service workers count them
        assert password_login(gateway, email, "wrong-password").json()["error"] == "invalid_grant"
    throttled = password_login(gateway, email)
    assert throttled.status_code == 429
    assert throttled.headers["content-type"] == "application/problem+json"
    assert throttled.json()["code"] == "login_throttled"
    assert 1 <= int(throttled.headers["retry-after"]) <= 300
    other, _ = register(gateway)
    assert password_login(gateway, other).status_code == 200


def test_unknown_kids_refresh_at_most_once_per_interval_without_blocking(
    edge: EdgeSystem, issuer: Issuer
) -> None:
    kid = issuer.add_key()
    interval = 2.0
    settings = {"auth": {"jwks_url": issuer.url, "jwks_min_refresh": interval}}
    with edge.gateway_with(settings) as proc, httpx.Client(base_url=proc.url, timeout=30) as gw:
        assert gw.get("/customers", headers=bearer(issuer.token(kid))).status_code == 200
        time.sleep(interval)
        fetched = issuer.fetches
        started = time.monotonic()
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        for _ in range(30):  # made-up kids: refused, and at most one fetch per interval
            forged = issuer.token(uuid.uuid4().hex, stranger)
            refused = gw.get("/customers", headers=bearer(forged))
            assert refused.status_code == 401
            assert 'error="invalid_token"' in refused.headers["www-authenticate"]
        elapsed = time.monotonic() - started
        assert 1 <= issuer.fetches - fetched <= 1 + int(elapsed / interval) + 1

        # a key rotated in at the issuer is accepted once fetched, and a slow fetch
        # holds up only the request that waits for it
        time.sleep(interval)
        new_kid = issuer.add_key()
        issuer.delay = 1.5
        waiting: dict[str, Any] = {}

        def use_new_key() -> None:
            waiting["status"] = gw.get("/customers", headers=bearer(issuer.token(new_kid)))

        thread = threading.Thread(target=use_new_key)
        thread.start()
        time.sleep(0.3)
        with httpx.Client(base_url=proc.url, timeout=30) as other:
            began = time.monotonic()
            assert other.get("/products").status_code == 200
            assert time.monotonic() - began < 0.5
        thread.join(timeout=10)
        assert waiting["status"].status_code == 200
        assert gw.get("/customers", headers=bearer(issuer.token(kid))).status_code == 200
