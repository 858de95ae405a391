"""``specfirst test`` takes its bearer token from the system's real login where
there is one (:mod:`codegen.verify.contract.login`), and mints the development
HS256 token where there is none."""

from __future__ import annotations

from pathlib import Path

import httpx
import jwt
import pytest

from codegen.verify.contract.config import load_settings
from codegen.verify.contract.credentials import dev_credentials
from codegen.verify.contract.engine import RunOptions
from codegen.verify.contract.login import CONTRACT_CLIENT, jwks_env, system_login
from codegen.verify.contract.runner import RunContext, started_services, with_login
from codegen.verify.contract.targets import discover
from tests.conftest import REPO_ROOT


def context() -> RunContext:
    settings = load_settings(REPO_ROOT)
    return RunContext(
        settings, discover(settings), dev_credentials(), RunOptions(1, 1, 1), None, lambda _: None
    )


def test_the_login_is_found_by_its_shape_in_the_reference_system() -> None:
    known = context().known
    login = system_login(known.values())
    assert login is not None
    assert (login.service, login.token_path, login.jwks_path) == (
        "customers", "/oauth/token", "/.well-known/jwks.json",
    )  # fmt: skip
    assert system_login([known["catalog"], known["orders"]]) is None
    assert jwks_env(login, {"customers": "http://127.0.0.1:9/"}) == {
        "SPECFIRST_JWKS_URL": "http://127.0.0.1:9/.well-known/jwks.json"
    }
    assert jwks_env(login, {"catalog": "http://127.0.0.1:9"}) == {}  # not started (yet)


@pytest.mark.e2e
def test_the_token_comes_from_the_running_login(tmp_path: Path) -> None:
    ctx = context()
    with started_services(ctx, ["customers"], tmp_path) as started:
        logged_in = with_login(ctx, started)
        token = logged_in.credentials.token
        assert jwt.get_unverified_header(token)["alg"] == "RS256"
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["sub"] == CONTRACT_CLIENT and claims["scope"] == "admin"
        base = started["customers"].process.base_url
        listed = httpx.get(f"{base}/customers", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200, listed.text


@pytest.mark.e2e
def test_a_system_without_a_login_keeps_the_minted_token(tmp_path: Path) -> None:
    ctx = context()
    with started_services(ctx, ["catalog"], tmp_path) as started:
        assert with_login(ctx, started) is ctx
    assert jwt.get_unverified_header(ctx.credentials.token)["alg"] == "HS256"
