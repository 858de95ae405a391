"""The production process set on one machine: what ``specfirst up --prod`` will run.

Every command :func:`production_processes` returns is started as is, against
one fresh PostgreSQL database per service and the local Redis, and a request
goes through the gateway (several workers, Redis-backed state) to gunicorn
gthread services in production mode.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.export.production import Ports, production_processes
from tests.conftest import REPO_ROOT, free_port
from tests.e2e.system import SERVICES
from tests.services.tokens import bearer
from tests.support.postgres import service_databases

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

JWT_SECRET = "topology-test-jwt-secret-of-at-least-32-bytes"


@pytest.fixture
def databases(postgres_url: str) -> Iterator[dict[str, str]]:
    with service_databases(postgres_url, SERVICES, "sf_prod") as databases:
        yield databases


def _wait(url: str, processes: dict[str, subprocess.Popen[bytes]], logs: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited:\n{(logs / f'{name}.log').read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} never became ready")


def test_production_topology_serves_through_the_gateway(
    databases: dict[str, str], redis_url: str, tmp_path: Path
) -> None:
    gateway_port = free_port()
    commands = production_processes(
        SERVICES,
        databases,
        redis_url=redis_url,
        secret_key="topology-" + uuid.uuid4().hex,
        ports=Ports(gateway=gateway_port, services={name: free_port() for name in SERVICES}),
        root=REPO_ROOT,
    )
    base_env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    base_env.update(SPECFIRST_JWT_SECRET=JWT_SECRET, PYTHONUNBUFFERED="1")
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for command in commands:
            with (tmp_path / f"{command.name}.log").open("wb") as log:
                processes[command.name] = subprocess.Popen(
                    command.argv,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env={**base_env, **command.env},
                    cwd=REPO_ROOT,
                    start_new_session=True,
                )
        gateway = f"http://127.0.0.1:{gateway_port}"
        _wait(f"{gateway}/readyz", processes, tmp_path)
        listed = httpx.get(
            f"{gateway}/categories", headers={"X-Request-ID": "topology-1"}, timeout=10
        )
        assert listed.status_code == 200, listed.text
        assert listed.headers["x-request-id"] == "topology-1"
        customers = httpx.get(
            f"{gateway}/customers", headers=bearer("ops", "admin", secret=JWT_SECRET), timeout=10
        )
        assert customers.status_code == 200, customers.text
        catalog_log = tmp_path / "catalog.log"
        deadline = time.monotonic() + 5
        while '"topology-1"' not in catalog_log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        records = [
            json.loads(line)
            for line in catalog_log.read_text().splitlines()
            if line.startswith("{") and '"topology-1"' in line
        ]
        assert any(r.get("status") == 200 and r["path"] == "/categories" for r in records)
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
