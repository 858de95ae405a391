"""Start the three services as real processes on 127.0.0.1 ephemeral ports.

Each service runs exactly as ``specfirst up`` would run it
(``python -m servicekit.serve <name>``: migrate, then gunicorn), with its own
database given by ``<NAME>_DATABASE_URL`` and its own log file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import free_port

SERVICES = ("catalog", "customers", "orders")
READY_TIMEOUT = 90.0


@dataclass
class Service:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


@dataclass
class System:
    services: dict[str, Service] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return self.services[name].url

    def logs(self) -> str:
        return "\n".join(f"--- {s.name} ---\n{s.log_tail()}" for s in self.services.values())


def service_environment(
    ports: Mapping[str, int], database_urls: Mapping[str, str]
) -> dict[str, str]:
    """The environment every service process gets: its database, its dependencies."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    env.update(
        {f"{name.upper()}_DATABASE_URL": url for name, url in database_urls.items()},
        CATALOG_URL=f"http://127.0.0.1:{ports['catalog']}",
        CUSTOMERS_URL=f"http://127.0.0.1:{ports['customers']}",
        ORDERS_DEPENDENCY_TIMEOUT="5",
        # RS256 tokens of the login verify on every service port too (customers: its own keys)
        SPECFIRST_JWKS_URL=f"http://127.0.0.1:{ports['customers']}/.well-known/jwks.json",
        SPECFIRST_JWKS_MIN_REFRESH="1",
        PYTHONUNBUFFERED="1",
        DJANGO_DEBUG="0",
    )
    return env


def start_service(
    name: str, port: int, env: Mapping[str, str], log: Path, *, migrate: bool = True
) -> Service:
    """``python -m servicekit.serve NAME`` (2 workers, 8 threads) in its own session;
    not waited for (see :func:`wait_ready`)."""
    command = [sys.executable, "-m", "servicekit.serve", name, "--port", str(port)]
    with log.open("ab") as handle:
        process = subprocess.Popen(
            [*command, "--workers", "2", "--threads", "8", *([] if migrate else ["--no-migrate"])],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=dict(env),
            start_new_session=True,
        )
    return Service(name, f"http://127.0.0.1:{port}", process, log)


def wait_ready(service: Service, deadline: float) -> None:
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited early:\n{service.log_tail()}")
        try:
            if httpx.get(f"{service.url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{service.name} was not ready in {READY_TIMEOUT}s:\n{service.log_tail()}")


@contextlib.contextmanager
def running_system(
    workdir: Path, database_urls: Mapping[str, str], extra_env: Mapping[str, str] | None = None
) -> Iterator[System]:
    """All three services, ready; stopped (and their process groups killed) on exit."""
    ports = {name: free_port() for name in SERVICES}
    env = {**service_environment(ports, database_urls), **(extra_env or {})}
    system = System()
    try:
        for name in SERVICES:
            log = workdir / f"{name}.log"
            system.services[name] = start_service(name, ports[name], env, log)
        deadline = time.monotonic() + READY_TIMEOUT
        for service in system.services.values():
            wait_ready(service, deadline)
        yield system
    finally:
        for service in system.services.values():
            service.stop()
