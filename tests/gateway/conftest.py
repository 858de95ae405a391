"""Processes for gateway tests: a tiny upstream and gateways, on 127.0.0.1.

Every process binds an ephemeral port, is waited for until it answers, and is
always terminated (then killed) at teardown; its output goes to a log file
that a failing test can show.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT, free_port

UPSTREAM_DIR = Path(__file__).parent


@dataclass
class Proc:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited ({proc.returncode}):\n{log.read_text()}")
        try:
            httpx.get(url, timeout=0.5)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer in {timeout}s:\n{log.read_text()}")


def start(args: list[str], port: int, log: Path, env: dict[str, str] | None = None,
          probe: str = "/readyz") -> Proc:  # fmt: skip
    with log.open("wb") as handle:  # the child keeps its own descriptor
        process = subprocess.Popen(
            args, stdout=handle, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
    proc = Proc(process, port, log)
    try:
        wait_http(f"http://127.0.0.1:{port}{probe}", process, log)
    except Exception:
        proc.stop()
        raise
    return proc


def start_upstream(tmp: Path, port: int | None = None) -> Proc:
    port = port or free_port()
    args = [sys.executable, "-m", "uvicorn", "--app-dir", str(UPSTREAM_DIR), "upstream_app:app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    return start(args, port, tmp / f"upstream-{port}.log")


# Settings a developer or CI may export that would override the tests' own configuration.
CLEAN_ENV = {
    "SPECFIRST_JWT_SECRET": "",
    "SPECFIRST_JWKS_FILE": "",
    "SPECFIRST_JWT_AUDIENCE": "",
    "SPECFIRST_JWT_ISSUER": "",
    "SPECFIRST_API_KEYS": "",
    "SPECFIRST_GATEWAY_API_KEYS": "",
    "REDIS_URL": "",
}


def start_gateway(root: Path, env: dict[str, str] | None = None, workers: int = 1) -> Proc:
    port = free_port()
    env = {**CLEAN_ENV, **(env or {})}
    args = [sys.executable, "-m", "gateway", "gateway", "--root", str(root), "--port", str(port),
            "--workers", str(workers)]  # fmt: skip
    return start(args, port, root / f"gateway-{port}.log", env=env, probe="/healthz")


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    proc = start_upstream(tmp_path_factory.mktemp("upstream"))
    yield proc
    proc.stop()
