"""Production entry points: the process set for ``up --prod`` and production mode.

Unit tests pin the commands and the refusal of development defaults; the e2e
tests start a real service from :func:`production_processes`' own command
line and check what production means on the wire and in the logs.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servicekit.production import production_problems
from servicekit.requestlog import JsonFormatter, RequestIdFilter, accept_request_id
from servicekit.settings import DEV_SECRET_KEY

from codegen.core.auth.defaults import DEV_IDENTITY_PUBLIC_KEY
from codegen.core.auth.forwarded import generate_private_key, public_key_of
from codegen.core.errors import UserError
from gateway.export.production import Ports, ProcessCommand, Sizing, production_processes
from tests.conftest import REPO_ROOT, free_port

SECRET = "a-production-secret-key-for-tests"


def _processes(**overrides: object) -> list[ProcessCommand]:
    arguments: dict[str, object] = {
        "redis_url": "redis://127.0.0.1:6379/0",
        "secret_key": SECRET,
        "ports": Ports(gateway=9000, first_service=9001),
        "sizing": Sizing(service_workers=3, service_threads=5, gateway_workers=4),
        "python": "python",
        "root": Path("/srv/app"),
    }
    arguments.update(overrides)
    urls = {"catalog": "postgres://db/catalog", "orders": "postgres://db/orders"}
    return production_processes(["orders", "catalog"], urls, **arguments)  # type: ignore[arg-type]


def test_services_run_gunicorn_gthread_in_production_mode() -> None:
    catalog, orders, gateway = _processes()
    assert catalog.argv == (
        "python", "-m", "servicekit.serve", "catalog", "--host", "127.0.0.1",
        "--port", "9001", "--workers", "3", "--threads", "5", "--no-access-log",
    )  # fmt: skip
    assert orders.argv[orders.argv.index("--port") + 1] == "9002"
    assert catalog.env["SPECFIRST_PRODUCTION"] == "1"
    assert catalog.env["CATALOG_DATABASE_URL"] == "postgres://db/catalog"
    assert catalog.env["DJANGO_SECRET_KEY"] == SECRET
    assert orders.env["CATALOG_URL"] == "http://127.0.0.1:9001"
    assert "ORDERS_URL" not in orders.env
    assert gateway.argv == (
        "python", "-m", "gateway", "gateway", "--host", "127.0.0.1", "--port", "9000",
        "--workers", "4", "--no-access-log", "--root", "/srv/app",
    )  # fmt: skip
    signing_key = gateway.env.pop("SPECFIRST_IDENTITY_KEY")
    assert gateway.env == {
        "SPECFIRST_UPSTREAM_CATALOG": "http://127.0.0.1:9001",
        "SPECFIRST_UPSTREAM_ORDERS": "http://127.0.0.1:9002",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    # a fresh identity key pair: the gateway signs, every service holds the public half
    public = public_key_of(signing_key)
    assert catalog.env["SPECFIRST_IDENTITY_PUBLIC_KEY"] == public
    assert orders.env["SPECFIRST_IDENTITY_PUBLIC_KEY"] == public
    assert public != DEV_IDENTITY_PUBLIC_KEY
    assert _processes()[2].env["SPECFIRST_IDENTITY_KEY"] != signing_key
    given = generate_private_key()
    assert _processes(identity_key=given)[2].env["SPECFIRST_IDENTITY_KEY"] == given


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"redis_url": ""}, "REDIS_URL"),
        ({"secret_key": ""}, "DJANGO_SECRET_KEY"),
    ],
)
def test_missing_production_inputs_are_named(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        _processes(**overrides)


def test_a_missing_database_url_is_named() -> None:
    with pytest.raises(UserError, match="database URL for: orders"):
        production_processes(
            ["orders"], {}, redis_url="redis://x", secret_key=SECRET, python="python"
        )


def test_production_mode_lists_every_problem_at_once() -> None:
    assert production_problems("orders", {"DJANGO_DEBUG": "1"}, DEV_SECRET_KEY) == [
        "DJANGO_SECRET_KEY is not set",
        "DJANGO_ALLOWED_HOSTS is not set",
        "DJANGO_DEBUG is on",
        "no database URL: set ORDERS_DATABASE_URL or DATABASE_URL",
        "SPECFIRST_IDENTITY_PUBLIC_KEY is not set",
    ]
    assert production_problems("orders", {"DJANGO_SECRET_KEY": DEV_SECRET_KEY}, DEV_SECRET_KEY)[
        0
    ] == ("DJANGO_SECRET_KEY is the development key")
    fit = {
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DATABASE_URL": "postgres://db/orders",
        "SPECFIRST_IDENTITY_PUBLIC_KEY": public_key_of(generate_private_key()),
    }
    assert production_problems("orders", fit, DEV_SECRET_KEY) == []
    unsafe = {
        **fit,
        "SPECFIRST_IDENTITY_PUBLIC_KEY": DEV_IDENTITY_PUBLIC_KEY,
        "SPECFIRST_TRUST_IDENTITY_HEADERS": "1",
    }
    assert production_problems("orders", unsafe, DEV_SECRET_KEY) == [
        "SPECFIRST_IDENTITY_PUBLIC_KEY is the development key",
        "SPECFIRST_TRUST_IDENTITY_HEADERS is on",
    ]


def _start(
    command: ProcessCommand, log: Path, extra_env: dict[str, str]
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    env.update(command.env, PYTHONUNBUFFERED="1", **extra_env)
    with log.open("wb") as handle:
        return subprocess.Popen(
            command.argv, stdout=handle, stderr=subprocess.STDOUT, env=env,
            cwd=REPO_ROOT, start_new_session=True,
        )  # fmt: skip


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=5)


@pytest.fixture
def production_catalog(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    database = f"sqlite:///{tmp_path / 'catalog.sqlite3'}"
    command = production_processes(
        ["catalog"], {"catalog": database}, redis_url="redis://unused", secret_key=SECRET,
        ports=Ports(first_service=port),
    )[0]  # fmt: skip
    log = tmp_path / "catalog.log"
    process = _start(command, log, {})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"catalog did not start:\n{log.read_text()}")
        yield url, log
    finally:
        _stop(process)


@pytest.mark.e2e
def test_production_service_logs_json_with_request_ids(
    production_catalog: tuple[str, Path],
) -> None:
    url, log = production_catalog
    response = httpx.get(f"{url}/categories", headers={"X-Request-ID": "prod-req-1"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "prod-req-1"
    missing = httpx.get(f"{url}/no-such-page", timeout=10)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"  # DEBUG is off
    generated = missing.headers["x-request-id"]
    assert len(generated) == 32
    deadline = time.monotonic() + 5
    records: list[dict[str, object]] = []
    while time.monotonic() < deadline:
        records = [
            json.loads(line)
            for line in log.read_text().splitlines()
            if line.startswith("{") and '"servicekit.request"' in line
        ]
        if len(records) >= 2:
            break
        time.sleep(0.1)
    by_id = {record["request_id"]: record for record in records}
    assert by_id["prod-req-1"]["status"] == 200
    assert by_id["prod-req-1"]["path"] == "/categories"
    assert by_id[generated]["status"] == 404
    assert '"GET /categories HTTP/1.1"' not in log.read_text()  # no gunicorn text access log


@pytest.mark.e2e
def test_production_service_refuses_development_defaults(tmp_path: Path) -> None:
    command = production_processes(
        ["catalog"], {"catalog": f"sqlite:///{tmp_path / 'c.sqlite3'}"},
        redis_url="redis://unused", secret_key=SECRET, ports=Ports(first_service=free_port()),
    )[0]  # fmt: skip
    log = tmp_path / "refused.log"
    process = _start(command, log, {"DJANGO_SECRET_KEY": DEV_SECRET_KEY, "DJANGO_DEBUG": "1"})
    try:
        assert process.wait(timeout=60) != 0
    finally:
        _stop(process)
    text = log.read_text()
    assert "Traceback" not in text
    assert "DJANGO_SECRET_KEY is the development key" in text
    assert "DJANGO_DEBUG is on" in text


@pytest.mark.parametrize(
    ("given", "kept"),
    [("abc-123", True), ("a/b:c=d+e~f.g_h", True), ("bad id", False), ("x" * 129, False),
     ("", False), (None, False)],
)  # fmt: skip
def test_request_ids_follow_the_gateways_rule(given: str | None, kept: bool) -> None:
    result = accept_request_id(given)
    if kept:
        assert result == given
    else:
        assert len(result) == 32 and result != given
        assert int(result, 16) >= 0


def test_json_log_lines_carry_the_request_id_and_the_exception() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom %s", ("here",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "boom here" and line["request_id"] is None
    try:
        raise ValueError("inner")
    except ValueError:
        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert "ValueError: inner" in json.loads(JsonFormatter().format(failing))["exception"]
