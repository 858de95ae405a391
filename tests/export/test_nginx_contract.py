"""The merged spec's contract suite, through the exported nginx, against the real services.

The three services run as real processes (as ``specfirst up`` runs them);
``specfirst export nginx`` compiles the routing table with their addresses;
a real nginx serves it; schemathesis generates requests for every operation
of the merged spec and checks every response against it.

Auth is not nginx's job: nginx passes ``Authorization`` and ``X-API-Key``
through and strips the gateway's identity headers, and the services verify
the bearer token or API key themselves (see docs/deploy.md). The suite sends
an admin bearer token and the development API key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from typer.testing import CliRunner

from codegen.cli.app import app
from codegen.core.auth.defaults import DEV_API_KEY
from gateway.compose.load import compose_specs
from gateway.config import load_config, upstream_env_var
from tests.conftest import REPO_ROOT, free_port
from tests.e2e.system import SERVICES, System, running_system
from tests.export.nginx_process import Nginx, check_config, nginx_binary, running_nginx
from tests.services.tokens import bearer

pytestmark = [pytest.mark.e2e, pytest.mark.contract, pytest.mark.slow, pytest.mark.timeout(900)]

# Made at import: it must outlive a slow suite (as tests/e2e/scenario.py does).
ADMIN_HEADERS = {**bearer("contract-admin", "admin", lifetime=3600), "X-API-Key": DEV_API_KEY}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    workdir = tmp_path_factory.mktemp("shop")
    databases = {name: f"sqlite:///{workdir / f'{name}.sqlite3'}" for name in SERVICES}
    with running_system(workdir, databases) as system:
        yield system


@pytest.fixture(scope="module")
def shop_nginx(shop: System, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    binary = nginx_binary()
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "tmp").mkdir()
    port = free_port()
    conf = prefix / "nginx.conf"
    env = {upstream_env_var(name): shop.url(name) for name in SERVICES}
    result = CliRunner().invoke(
        app,
        [
            "export",
            "nginx",
            "--out",
            str(conf),
            "--root",
            str(REPO_ROOT),
            "--listen",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--temp-dir",
            str(prefix / "tmp"),
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    checked = check_config(binary, prefix, conf)
    assert checked.returncode == 0, checked.stderr
    with running_nginx(binary, prefix, conf, port) as nginx:
        yield nginx


def _merged() -> dict[str, Any]:
    composition = compose_specs(load_config(REPO_ROOT))
    assert composition.document is not None, composition.diagnostics
    return composition.document


MERGED = _merged()
OPERATIONS = [
    (method.upper(), path)
    for path, item in MERGED["paths"].items()
    for method in item
    if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
]
# Schema-valid bodies can still name things that do not exist (a parent
# category, a product): the services answer those with a declared 422, which
# schemathesis's positive-data check cannot tell from a rejection. Every other
# check runs: server errors, status codes, content types, headers, bodies.
EXCLUDED_CHECKS = [positive_data_acceptance]
EXAMPLES = int(os.environ.get("SPECFIRST_CONTRACT_EXAMPLES", "15"))


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_merged_contract_through_nginx(
    method: str, path: str, shop_nginx: Nginx, shop: System
) -> None:
    operation = schemathesis.openapi.from_dict(MERGED)[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(
            base_url=shop_nginx.url,
            headers=ADMIN_HEADERS,
            timeout=30,
            excluded_checks=list(EXCLUDED_CHECKS),
        )

    try:
        check()
    except Exception:  # schemathesis raises exception groups: show the logs for any
        print(shop_nginx.logs())
        print(shop.logs())
        raise


def test_every_service_was_reached_through_nginx(shop_nginx: Nginx, shop: System) -> None:
    """Requests through nginx reach all three services, each logged with its id."""
    for method, path in OPERATIONS:
        if method == "GET" and "{" not in path:
            response = httpx.get(shop_nginx.url + path, headers=ADMIN_HEADERS, timeout=30)
            assert response.status_code == 200, (path, response.text)
    records = [
        json.loads(line)
        for line in shop_nginx.access_log.read_text().splitlines()
        if line.startswith("{")
    ]
    reached = {record["upstream"] for record in records if record["upstream"]}
    expected = {shop.url(name).removeprefix("http://") for name in SERVICES}
    assert expected <= reached
    assert all(record["request_id"] for record in records)
