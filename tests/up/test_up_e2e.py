"""``specfirst up`` as a real process: ready, routed, self-healing, and leaves nothing behind.

Runs the repository's services on ephemeral ports with their databases in
tmp_path (the repository's own SQLite files are never touched).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from codegen.core.running import read_running
from tests.conftest import REPO_ROOT
from tests.up.procs import OutputLog, alive, descendants

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SPECFIRST = str(Path(sys.executable).parent / "specfirst")
URL_LINE = r"system\s*\|\s+{name}\s+(http://127\.0\.0\.1:\d+\S*)"


@pytest.fixture
def up(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], OutputLog]]:
    env = {**os.environ, "NO_COLOR": "1"}
    process = subprocess.Popen(
        [SPECFIRST, "up", "--base-port", "0",
         "--database-url", f"sqlite:///{tmp_path / 'db'}", "--root", str(REPO_ROOT)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    log = OutputLog(process)
    try:
        yield process, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never became ready")


def test_up_serves_restarts_and_stops_cleanly(
    up: tuple[subprocess.Popen[str], OutputLog], tmp_path: Path
) -> None:
    process, log = up
    log.wait_for(r"system\s*\|\s+ready in", timeout=120)
    gateway = log.wait_for(URL_LINE.format(name="gateway")).group(1)
    docs = log.wait_for(URL_LINE.format(name="docs")).group(1)
    catalog = log.wait_for(URL_LINE.format(name="catalog")).group(1)
    assert docs == gateway + "/docs"
    # `specfirst routes` from the same root shows the ports `up` chose, not the configured ones.
    routes = subprocess.run(
        [SPECFIRST, "routes", "--format", "json", "--root", str(REPO_ROOT)],
        capture_output=True, text=True, check=True, cwd=REPO_ROOT,
    )  # fmt: skip
    catalog_rows = [row for row in json.loads(routes.stdout) if row["service"] == "catalog"]
    assert catalog_rows and all(row["upstream"].startswith(catalog + "/") for row in catalog_rows)
    assert {row["upstream_source"] for row in catalog_rows} == {"running"}
    # Each service got its own database under the --database-url directory.
    assert {p.name for p in (tmp_path / "db").glob("*.sqlite3")} >= {
        "catalog.sqlite3", "customers.sqlite3", "orders.sqlite3",
    }  # fmt: skip

    # A request through the gateway reaches the catalog service.
    listed = httpx.get(gateway + "/categories", timeout=10)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []
    assert httpx.get(docs, timeout=10).status_code == 200

    # Kill the catalog process: the supervisor logs it and starts a new one.
    first_pid = int(log.wait_for(r"catalog started \(pid=(\d+)\)").group(1))
    mark = len(log.lines)
    os.kill(first_pid, signal.SIGKILL)
    log.wait_for(r"catalog exited \(rc=-9\); restart 1 in", after=mark)
    second_pid = int(log.wait_for(r"catalog started \(pid=(\d+)\)", after=mark).group(1))
    assert second_pid != first_pid
    _wait_ready(catalog)
    assert httpx.get(gateway + "/categories", timeout=10).status_code == 200

    # SIGTERM: everything stops, and no process of the tree survives.
    tree = descendants(process.pid)
    assert second_pid in tree and len(tree) >= 4
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in tree if alive(pid)] == [], log.text()
    assert "SIGTERM received, stopping" in log.text()
    # ... and its record is gone (another `up` from this root may have written its own).
    left = read_running(REPO_ROOT)
    assert left is None or left.pid != process.pid
