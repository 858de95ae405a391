"""``specfirst up --prod``: the production process set (gateway.export.production), checked."""

from __future__ import annotations

import pytest
from servicekit.settings import DEV_SECRET_KEY

from codegen.cli.up.plan import UpOptions
from codegen.cli.up.production import plan_production
from codegen.core.errors import UserError
from tests.conftest import REPO_ROOT

PROD = UpOptions(base_port=9200, database_url="postgres://p@db:5432/", prod=True)


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-real-secret-from-the-vault")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "api.example.com")
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)


@pytest.mark.usefixtures("production_env")
def test_production_plan() -> None:
    plan = plan_production(REPO_ROOT, PROD)
    assert [p.name for p in plan.services] == ["catalog", "customers", "orders"]
    orders = plan.services[2]
    assert orders.url == "http://127.0.0.1:9203"
    assert orders.env["SPECFIRST_PRODUCTION"] == "1"
    assert orders.env["ORDERS_DATABASE_URL"] == "postgres://p@db:5432/orders"
    assert orders.env["CATALOG_URL"] == "http://127.0.0.1:9201"
    assert orders.env["DJANGO_ALLOWED_HOSTS"] == "api.example.com"
    assert orders.argv[1:4] == ("-m", "servicekit.serve", "orders")
    assert orders.target is None  # servicekit.serve migrates by itself
    assert plan.gateway is not None and plan.gateway.url == "http://127.0.0.1:9200"
    assert plan.gateway.env["SPECFIRST_UPSTREAM_ORDERS"] == "http://127.0.0.1:9203"
    assert plan.gateway.argv[plan.gateway.argv.index("--workers") + 1] == "2"
    # the login's keys: a service verifies an RS256 token sent straight to it, as the edge does
    jwks = "http://127.0.0.1:9202/.well-known/jwks.json"
    assert {p.env["SPECFIRST_JWKS_URL"] for p in (*plan.services, plan.gateway)} == {jwks}


@pytest.mark.usefixtures("production_env")
def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(UserError, match="catalog: DJANGO_SECRET_KEY is the development key"):
        plan_production(REPO_ROOT, PROD)


@pytest.mark.usefixtures("production_env")
def test_production_needs_each_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL")
    with pytest.raises(UserError, match="production needs REDIS_URL"):
        plan_production(REPO_ROOT, PROD)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name in ("CATALOG", "CUSTOMERS", "ORDERS"):
        monkeypatch.delenv(f"{name}_DATABASE_URL", raising=False)
    with pytest.raises(UserError, match="production needs a database URL for: catalog"):
        plan_production(REPO_ROOT, UpOptions(prod=True))


def test_production_needs_fixed_ports_and_the_gateway() -> None:
    with pytest.raises(UserError, match="--prod needs fixed ports"):
        plan_production(REPO_ROOT, UpOptions(base_port=0, prod=True))
    with pytest.raises(UserError, match="--prod always runs the gateway"):
        plan_production(REPO_ROOT, UpOptions(gateway=False, prod=True))
