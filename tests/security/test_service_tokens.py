"""Bearer tokens sent straight to a service port, as an attacker inside the
network (or an nginx deployment) would: the service verifies them by the rule
the edge applies (:mod:`codegen.core.auth.bearer`): RS256 with the login's
JWKS, a non-empty ``sub``, the configured ``aud`` and ``iss``; every refusal is
a 401 problem+json."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from codegen.core.auth.defaults import DEV_JWT_AUDIENCE, DEV_JWT_ISSUER
from tests.security.system import EdgeSystem
from tests.support.customers import create_admin
from tests.support.issuer import Issuer

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_refused(response: httpx.Response, why: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert why in response.json()["detail"], response.json()


def test_a_real_login_token_is_accepted_on_every_service_port(edge: EdgeSystem) -> None:
    customers = edge.service_url("customers")
    client = create_admin(edge.environment)
    login = httpx.post(
        f"{customers}/oauth/token", data={"grant_type": "client_credentials"}, auth=client
    )
    assert login.status_code == 200, login.text
    token = bearer(login.json()["access_token"])
    assert httpx.get(f"{customers}/customers", headers=token).status_code == 200
    orders = httpx.get(f"{edge.service_url('orders')}/orders", headers=token, timeout=10)
    assert orders.status_code == 200, orders.text  # keys fetched from customers' JWKS


@pytest.fixture(scope="module")
def trusted_issuer() -> Iterator[Issuer]:
    issuer = Issuer()
    try:
        yield issuer
    finally:
        issuer.close()


@pytest.fixture(scope="module")
def orders_trusting(edge: EdgeSystem, trusted_issuer: Issuer) -> Iterator[tuple[str, str]]:
    """A copy of orders whose JWKS is the test's issuer: its URL and the key it trusts."""
    kid = trusted_issuer.add_key()
    with edge.service_copy("orders", {"SPECFIRST_JWKS_URL": trusted_issuer.url}) as service:
        yield service.url, kid


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"sub": None}, "names no subject"),
        ({"sub": ""}, "names no subject"),
        ({"sub": "   "}, "names no subject"),
        ({"aud": "another-api"}, "audience is not accepted"),
        ({"aud": None}, "no 'aud' claim"),
        ({"iss": "https://evil.example"}, "issuer is not accepted"),
        ({"iss": None}, "no 'iss' claim"),
        ({"exp": None}, "no 'exp' claim"),
    ],
    ids=[
        "no-sub",
        "empty-sub",
        "blank-sub",
        "wrong-aud",
        "no-aud",
        "wrong-iss",
        "no-iss",
        "no-exp",
    ],
)
def test_a_service_refuses_what_the_edge_refuses(
    orders_trusting: tuple[str, str], trusted_issuer: Issuer, claims: dict[str, object], why: str
) -> None:
    url, kid = orders_trusting
    token = trusted_issuer.token(kid, **claims)
    assert_refused(httpx.get(f"{url}/orders", headers=bearer(token), timeout=10), why)


def test_the_trusted_issuers_good_token_passes_and_a_strangers_does_not(
    orders_trusting: tuple[str, str], trusted_issuer: Issuer
) -> None:
    url, kid = orders_trusting
    good = trusted_issuer.token(kid, iss=DEV_JWT_ISSUER, aud=DEV_JWT_AUDIENCE)
    assert httpx.get(f"{url}/orders", headers=bearer(good), timeout=10).status_code == 200
    stranger = Issuer()
    try:
        forged = stranger.token(stranger.add_key())
        refused = httpx.get(f"{url}/orders", headers=bearer(forged), timeout=10)
        assert_refused(refused, "signing key is not known")
    finally:
        stranger.close()
