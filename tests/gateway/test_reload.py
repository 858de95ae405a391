"""Routing-table reloads: SIGHUP (forwarded to every worker) and file changes.

A reload never drops a request in flight, and a reload whose specs do not
compose keeps the old table and logs why.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.gateway.conftest import Proc, start_gateway, write_tree

pytestmark = pytest.mark.e2e

BASE = """
openapi: 3.1.0
info: {title: echo, version: "1"}
paths:
  /slow/{seconds}:
    get:
      operationId: slow
      parameters: [{name: seconds, in: path, required: true, schema: {type: number}}]
      responses: {'200': {description: ok}}
"""
EXTRA = """
  /echo/{rest}:
    get:
      operationId: echoGet
      parameters: [{name: rest, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"""
CONFLICT = """
openapi: 3.1.0
info: {title: other, version: "1"}
paths:
  /slow/{seconds}:
    get:
      operationId: otherSlow
      parameters: [{name: seconds, in: path, required: true, schema: {type: number}}]
      responses: {'200': {description: ok}}
"""


def eventually(check: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def fresh_status(url: str) -> int:
    with httpx.Client() as client:  # a new connection: any worker may answer
        return client.get(url).status_code


@pytest.fixture
def project(tmp_path: Path, upstream: Proc) -> Path:
    write_tree(
        tmp_path,
        {
            "specs/echo.yaml": BASE,
            "specfirst.toml": f'[services.echo]\nupstream = "{upstream.url}"\n',
        },
    )
    return tmp_path


@pytest.fixture
def two_workers(project: Path) -> Iterator[Proc]:
    proc = start_gateway(project, workers=2)
    yield proc
    proc.stop()


def test_sighup_reloads_every_worker_without_dropping_requests(
    project: Path, two_workers: Proc
) -> None:
    url = two_workers.url
    assert fresh_status(f"{url}/echo/x") == 404
    results: list[int] = []
    slow = threading.Thread(target=lambda: results.append(fresh_status(f"{url}/slow/1.5")))
    slow.start()
    time.sleep(0.3)
    (project / "specs" / "echo.yaml").write_text(BASE + EXTRA)
    two_workers.process.send_signal(signal.SIGHUP)
    assert eventually(lambda: all(fresh_status(f"{url}/echo/x") == 200 for _ in range(6)))
    slow.join(timeout=10)
    assert results == [200]


def test_failed_reload_keeps_the_old_table(project: Path, upstream: Proc) -> None:
    proc = start_gateway(project)
    try:
        (project / "specs" / "other.yaml").write_text(CONFLICT)
        proc.process.send_signal(signal.SIGHUP)
        assert eventually(lambda: "reload failed (SIGHUP); keeping 1 routes" in proc.output())
        assert "SF501" in proc.output()
        assert fresh_status(f"{proc.url}/slow/0") == 200
    finally:
        proc.stop()


def test_spec_file_changes_are_picked_up(project: Path) -> None:
    proc = start_gateway(project)
    try:
        assert fresh_status(f"{proc.url}/echo/x") == 404
        (project / "specs" / "echo.yaml").write_text(BASE + EXTRA)
        assert eventually(lambda: fresh_status(f"{proc.url}/echo/x") == 200)
        assert "routing table reloaded (files changed): 2 routes" in proc.output()
    finally:
        proc.stop()
