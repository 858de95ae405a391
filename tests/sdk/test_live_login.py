"""End to end: the customers SDK logs in at the real customers service's token
endpoint, calls operations with the token, renews it before it expires (the
system's tokens live ``ACCESS_TOKEN_TTL`` seconds), refreshes on request and
logs out; a refresh token the server has revoked ends the login. Each test runs
through the gateway and straight at the customers service's port (which
verifies the RS256 tokens itself)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from types import ModuleType

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.sdk.conftest import ACCESS_TOKEN_TTL, LiveGateway
from tests.sdk.support import imported
from tests.support.customers import create_admin

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
PASSWORD = "correct horse battery"


@pytest.fixture(params=["gateway", "service"])
def url(request: pytest.FixtureRequest, live_gateway: LiveGateway) -> str:
    """Where the SDK is pointed: the gateway, or the customers service's own port."""
    return live_gateway.url if request.param == "gateway" else live_gateway.services["customers"]


@pytest.fixture(scope="module")
def customers_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("customers-sdk")
    with imported(REPO_ROOT / "specs" / "customers.yaml", out) as module:
        yield module


def register(sdk: ModuleType, url: str, environment: dict[str, str]) -> tuple[str, str]:
    """A new customer, created by an admin that logged in with its client credentials."""
    admin_id, secret = create_admin(environment)
    with sdk.Client(url) as admin:
        tokens = admin.login(client_id=admin_id, client_secret=secret)
        assert tokens.refresh_token is None and "admin" in (tokens.scope or "").split()
        email = f"sdk-{uuid.uuid4().hex[:8]}@example.com"
        body = sdk.models.CustomerRequest(email=email, name="Ada", password=PASSWORD)
        return email, str(admin.create_customer(body=body).id)


def test_login_renewal_refresh_and_logout(
    customers_sdk: ModuleType, live_gateway: LiveGateway, url: str
) -> None:
    sdk = customers_sdk
    email, customer_id = register(sdk, url, live_gateway.environment)
    with sdk.Client(url) as client:
        with pytest.raises(sdk.AuthenticationError):
            client.get_customer(customer_id)  # no login yet
        first = client.login(username=email, password=PASSWORD)
        assert first.expires_in == ACCESS_TOKEN_TTL and first.refresh_token
        assert client.get_customer(customer_id).email == email

        time.sleep(ACCESS_TOKEN_TTL / 2 + 0.2)  # in the last half of the token's life
        assert client.get_customer(customer_id).email == email
        renewed = client.tokens
        assert renewed is not None and renewed.obtained_at > first.obtained_at
        assert renewed.access_token != first.access_token
        assert renewed.refresh_token not in (None, first.refresh_token)

        explicit = client.refresh_login()
        assert explicit.refresh_token != renewed.refresh_token
        assert client.get_customer(customer_id).email == email

        client.logout()
        assert client.tokens is None
        with pytest.raises(sdk.AuthenticationError):
            client.get_customer(customer_id)


def test_a_revoked_login_cannot_be_renewed(
    customers_sdk: ModuleType, live_gateway: LiveGateway, url: str
) -> None:
    sdk = customers_sdk
    email, customer_id = register(sdk, url, live_gateway.environment)
    with sdk.Client(url) as client:
        first = client.login(username=email, password=PASSWORD)
        client.refresh_login()
        # someone replays the used refresh token: the server revokes the whole login
        replay = {"grant_type": "refresh_token", "refresh_token": first.refresh_token}
        refused = httpx.post(f"{url}/oauth/token", data=replay, timeout=10)
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
        with pytest.raises(sdk.BadRequestError):
            client.refresh_login()
        assert client.tokens is None
        client.login(username=email, password=PASSWORD)  # a new login works
        assert client.get_customer(customer_id).email == email


def test_a_wrong_password_is_refused(
    customers_sdk: ModuleType, live_gateway: LiveGateway, url: str
) -> None:
    sdk = customers_sdk
    email, _ = register(sdk, url, live_gateway.environment)
    with sdk.Client(url) as client, pytest.raises(sdk.BadRequestError) as caught:
        client.login(username=email, password="wrong horse")
    assert caught.value.response.json()["error"] == "invalid_grant"
    assert client.tokens is None
