"""``mock = true`` for a service: the gateway routes it to ``specfirst serve --mock``.

For each service configured with ``mock = true`` the gateway starts one
``specfirst serve SPEC --mock`` process on a free 127.0.0.1 port before it
serves, and points the service's upstream at it (through the same
``SPECFIRST_UPSTREAM_<NAME>`` variable an operator would set, so every worker
sees it). The processes stop when the gateway stops. The gateway itself never
imports Django: the mock runs in its own process.

``[tool.specfirst.gateway.services.orders] mock = true`` -> ``orders`` is
answered by the mock of ``specs/orders.yaml``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from codegen.core.project import ConfigError, service_spec
from gateway.config import GatewayConfig, upstream_env_var

STARTUP_TIMEOUT = 90.0


def spec_of(config: GatewayConfig, name: str) -> Path:
    """The spec file of service ``name`` in the specs directory."""
    spec = service_spec(config.specs_dir, name)
    if spec is not None:
        return spec
    raise ConfigError(f"services.{name}.mock: no spec {name}.yaml in {config.specs_dir}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _specfirst() -> list[str]:
    beside = Path(sys.executable).with_name("specfirst")
    found = str(beside) if beside.is_file() else shutil.which("specfirst")
    if found is None:
        raise ConfigError("mock = true needs the specfirst command on PATH")
    return [found]


def _wait(process: subprocess.Popen[bytes], name: str, port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ConfigError(f"the mock of service {name} exited with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise ConfigError(f"the mock of service {name} did not start within {STARTUP_TIMEOUT:.0f}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def mock_upstreams(config: GatewayConfig) -> Iterator[dict[str, str]]:
    """Start a mock for every ``mock = true`` service; yields name -> upstream URL."""
    started: list[subprocess.Popen[bytes]] = []
    upstreams: dict[str, str] = {}
    saved: dict[str, str | None] = {}
    try:
        for name, service in sorted(config.services.items()):
            if not service.mock:
                continue
            port = _free_port()
            argv = [*_specfirst(), "serve", str(spec_of(config, name)), "--mock"]
            argv += ["--port", str(port), *(["--stateful"] if service.mock_stateful else [])]
            argv += ["--root", str(config.root)]  # the project's [tool.specfirst.validation]
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
            started.append(process)
            _wait(process, name, port)
            upstreams[name] = f"http://127.0.0.1:{port}"
            variable = upstream_env_var(name)
            saved[variable] = os.environ.get(variable)
            os.environ[variable] = upstreams[name]
        yield upstreams
    finally:
        for variable, value in saved.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value
        for process in started:
            _stop(process)
