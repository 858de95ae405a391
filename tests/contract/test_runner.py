"""How services and the gateway are wired for a contract run (no processes started)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from codegen.core.errors import UserError
from codegen.core.spec.loader import LoadedSpec, load_spec
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.credentials import dev_credentials
from codegen.verify.contract.engine import RunOptions
from codegen.verify.contract.process import ManagedProcess, service_env
from codegen.verify.contract.runner import (
    RunContext,
    StartedService,
    gateway_process,
    seed_service,
    started_services,
)
from codegen.verify.contract.targets import ServiceTarget, discover
from tests.contract.violations import REPO_ROOT


def target(tmp_path: Path, name: str) -> ServiceTarget:
    return ServiceTarget(name, tmp_path / "services" / name, tmp_path / "specs" / f"{name}.yaml")


def test_service_env_isolates_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://elsewhere/db")
    monkeypatch.setenv("ORDERS_DATABASE_URL", "postgres://elsewhere/orders")
    env = service_env(
        target(tmp_path, "orders"), "sqlite:////tmp/x.sqlite3", {"CATALOG_URL": "http://c"}
    )
    assert env["ORDERS_DATABASE_URL"] == "sqlite:////tmp/x.sqlite3"
    assert "DATABASE_URL" not in env
    assert env["DJANGO_SETTINGS_MODULE"] == "orders_site.settings"
    assert env["SPECFIRST_SPEC_PATH"] == str((tmp_path / "specs" / "orders.yaml").resolve())
    assert env["CATALOG_URL"] == "http://c"


def minimal_spec(tmp_path: Path) -> LoadedSpec:
    path = tmp_path / "minimal.json"
    path.write_text('{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}')
    loaded, diagnostics = load_spec(path)
    assert loaded is not None, diagnostics
    return loaded


def test_gateway_points_at_every_started_service(tmp_path: Path) -> None:
    creds = dev_credentials()
    ctx = RunContext(load_settings(tmp_path), {}, creds, RunOptions(1, 1, 1), None, lambda _: None)
    started = {
        name: StartedService(
            target(tmp_path, name),
            ManagedProcess(name, [], tmp_path, {}, f"http://127.0.0.1:{port}", tmp_path / "log"),
            {},
            minimal_spec(tmp_path),
        )
        for name, port in (("catalog", 1001), ("order-lines", 1002))
    }
    gateway = gateway_process(ctx, started, tmp_path, scoped=False)
    assert gateway.env["SPECFIRST_UPSTREAM_CATALOG"] == "http://127.0.0.1:1001"
    assert gateway.env["SPECFIRST_UPSTREAM_ORDER_LINES"] == "http://127.0.0.1:1002"
    assert gateway.env["SPECFIRST_API_KEYS"] == f"contract-tests={creds.api_key}"
    assert gateway.env["SPECFIRST_JWT_SECRET"] == creds.jwt_secret
    assert gateway.argv[1:4] == ["-m", "gateway", "gateway"]
    assert gateway.base_url.startswith("http://127.0.0.1:")
    assert gateway.health_path == "/readyz"


def test_a_scoped_gateway_is_ready_alone_and_takes_the_port_it_was_given(tmp_path: Path) -> None:
    ctx = RunContext(
        load_settings(tmp_path),
        {},
        dev_credentials(),
        RunOptions(1, 1, 1),
        None,
        lambda _: None,
        ports={"gateway": 9300, "catalog": 9301},
    )
    gateway = gateway_process(ctx, {}, tmp_path, scoped=True)
    assert (gateway.base_url, gateway.health_path) == ("http://127.0.0.1:9300", "/healthz")
    assert "--port" in gateway.argv and "9300" in gateway.argv
    assert ctx.port("catalog") == 9301
    assert ctx.port("orders") not in (0, 9300, 9301)  # not placed: a free ephemeral port


def test_a_failing_fixture_hook_is_a_user_error(tmp_path: Path) -> None:
    service = target(tmp_path, "shop")
    service.directory.mkdir(parents=True)
    (service.directory / "contract_fixtures.py").write_text(
        "def seed(api):\n    raise ValueError('no such product')\n", encoding="utf-8"
    )
    ctx = RunContext(
        load_settings(tmp_path), {}, dev_credentials(), RunOptions(1, 1, 1), None, print
    )
    process = ManagedProcess("shop", [], tmp_path, {}, "http://127.0.0.1:9", tmp_path / "log")
    with pytest.raises(
        UserError, match=r"contract_fixtures.py: seed\(\) failed: ValueError: no such"
    ):
        seed_service(
            ctx, {"shop": StartedService(service, process, {}, minimal_spec(tmp_path))}, "shop"
        )


@pytest.mark.e2e
def test_services_run_with_the_limits_and_problem_worker_of_servicekit_serve(
    tmp_path: Path,
) -> None:
    """A request line gunicorn's default (4094 bytes) refuses with an HTML 414 passes, as
    under ``servicekit.serve``; one past the edge limit is a problem+json 414."""
    settings = load_settings(REPO_ROOT)
    ctx = RunContext(
        settings, discover(settings), dev_credentials(), RunOptions(1, 1, 1), None, lambda _: None
    )
    with started_services(ctx, ["catalog"], tmp_path) as started:
        base = started["catalog"].process.base_url
        passed = httpx.get(f"{base}/categories", params={"q": "x" * 5000}, timeout=10)
        refused = httpx.get(f"{base}/categories", params={"q": "x" * 9000}, timeout=10)
    assert passed.status_code != 414, passed.text
    assert refused.status_code == 414
    assert refused.headers["content-type"].startswith("application/problem+json")
