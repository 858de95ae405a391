"""The whole system as real processes, for adversarial tests.

:func:`edge_system` starts what a production deployment runs, on 127.0.0.1
ephemeral ports: the three services (``python -m servicekit.serve``,
gunicorn) on PostgreSQL, one fresh database per service, and the gateway
(``python -m gateway gateway``, two workers) in front of them with its rate
limits in Redis under a key prefix of its own. Tests attack it through the
gateway and straight at the service ports.

Attacks that change the system (a stopped or killed service, tiny limits,
short timeouts) never touch the shared processes: :meth:`EdgeSystem.gateway_with`
and :meth:`EdgeSystem.service_copy` start private ones against the same
databases, stopped when the ``with`` block ends.

Example::

    def test_x(edge: EdgeSystem) -> None:
        httpx.get(edge.gateway.url + "/products")          # through the gateway
        httpx.get(edge.service_url("catalog") + "/products")  # straight at the service
        with edge.gateway_with({"timeout": 1.0}) as gateway:  # a private gateway
            ...
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from codegen.core.auth.defaults import DEV_API_KEY, DEV_JWT_SECRET
from tests.conftest import REPO_ROOT, free_port
from tests.e2e.system import (
    READY_TIMEOUT,
    SERVICES,
    Service,
    System,
    running_system,
    service_environment,
    start_service,
    wait_ready,
)
from tests.gateway.conftest import CLEAN_ENV, Proc, start
from tests.services.tokens import bearer
from tests.support.postgres import service_databases

GATEWAY_WORKERS = 2
# Generous enough that no test is limited by accident (every anonymous request of a
# test run shares the bucket of 127.0.0.1); the rate-limit test uses its own gateway.
SHARED_RATE_LIMIT = {"rate": 2000.0, "burst": 20000}
ADMIN = bearer("security-admin", "admin", lifetime=3600)
JWKS_MIN_REFRESH = 1.0  # seconds between the gateway's fetches of the JWKS for an unknown kid


def toml_text(table: Mapping[str, Any], prefix: str = "") -> str:
    """A nested mapping as TOML: scalars and lists as JSON (valid TOML for the
    strings, numbers, booleans and arrays tests use), sub-mappings as tables.

    ``toml_text({"a": 1, "b": {"c": "x"}})`` → ``'a = 1\\n[b]\\nc = "x"\\n'``.
    """
    lines = [f"{key} = {json.dumps(value)}" for key, value in table.items()
             if not isinstance(value, Mapping)]  # fmt: skip
    text = "\n".join(lines) + ("\n" if lines else "")
    for key, value in table.items():
        if isinstance(value, Mapping):
            name = f"{prefix}.{key}" if prefix else key
            text += f"[{name}]\n" + toml_text(value, name)
    return text


def merge_settings(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` laid over it, table by table; ``None`` in ``extra``
    removes that key (TOML has no null: the setting is left unset)."""
    merged = dict(base)
    for key, value in extra.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_settings(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass
class ProcessStats:
    """Resident memory and open descriptors of a process and its children, from /proc."""

    rss_kib: dict[int, int]
    fds: dict[int, int]

    @classmethod
    def of(cls, pid: int) -> ProcessStats:
        pids = [pid, *children(pid)]
        return cls({p: rss_kib(p) for p in pids}, {p: fd_count(p) for p in pids})

    def worst_rss(self) -> int:
        return max(self.rss_kib.values())

    def worst_fds(self) -> int:
        return max(self.fds.values())


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (a gateway's worker processes)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@dataclass
class EdgeSystem:
    """The running system (see the module docstring)."""

    workdir: Path
    system: System
    environment: dict[str, str]
    gateway: Proc
    gateway_settings: dict[str, Any]
    gateway_env: dict[str, str]
    redis_url: str
    redis_prefix: str
    extra: list[Proc] = field(default_factory=list)

    def service_url(self, name: str) -> str:
        return self.system.url(name)

    def upstreams(self, **override: str) -> dict[str, str]:
        """``SPECFIRST_UPSTREAM_<NAME>`` for every service, some pointed elsewhere."""
        urls = {name: self.service_url(name) for name in SERVICES} | override
        return {f"SPECFIRST_UPSTREAM_{name.upper()}": url for name, url in urls.items()}

    @contextlib.contextmanager
    def gateway_with(
        self,
        settings: Mapping[str, Any] | None = None,
        *,
        workers: int = 1,
        upstreams: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Iterator[Proc]:
        """A private gateway: the shared one's ``[gateway]`` settings with
        ``settings`` laid over them, its own Redis prefix, optionally other
        upstreams (``{"catalog": url}``)."""
        prefix = f"{self.redis_prefix}{uuid.uuid4().hex[:6]}:"
        base = merge_settings(self.gateway_settings, {"rate_limit": {"redis_prefix": prefix}})
        proc = start_gateway_process(
            self.workdir / f"gateway-{uuid.uuid4().hex[:6]}",
            merge_settings(base, settings or {}),
            {**self.gateway_env, **self.upstreams(**(upstreams or {})), **(env or {})},
            workers,
        )
        try:
            yield proc
        finally:
            proc.stop()

    @contextlib.contextmanager
    def service_copy(self, name: str, env: Mapping[str, str] | None = None) -> Iterator[Service]:
        """Another process of service ``name`` on its own port and the same
        database, ``env`` laid over its environment: a test may stop or kill it."""
        log = self.workdir / f"{name}-copy-{uuid.uuid4().hex[:6]}.log"
        environment = {**self.environment, **(env or {})}
        service = start_service(name, free_port(), environment, log, migrate=False)
        try:
            wait_ready(service, time.monotonic() + READY_TIMEOUT)
            yield service
        finally:
            service.stop()

    def gateway_stats(self, proc: Proc | None = None) -> ProcessStats:
        return ProcessStats.of((proc or self.gateway).process.pid)


def start_gateway_process(
    root: Path, settings: Mapping[str, Any], env: Mapping[str, str], workers: int
) -> Proc:
    """``python -m gateway gateway`` with ``root/specfirst.toml`` holding the
    repository's specs and ``settings`` as its ``[gateway]`` table."""
    root.mkdir(parents=True)
    config = {"specs": str(REPO_ROOT / "specs"), "gateway": dict(settings)}
    (root / "specfirst.toml").write_text(toml_text(config), encoding="utf-8")
    port = free_port()
    args = ["-m", "gateway", "gateway", "--root", str(root), "--port", str(port),
            "--workers", str(workers), "--no-access-log"]  # fmt: skip
    return start([sys.executable, *args], port, root / "gateway.log",
                 env={**CLEAN_ENV, **env}, probe="/healthz")  # fmt: skip


def shared_gateway_settings() -> dict[str, Any]:
    """The shared gateway's ``[gateway]`` table: rate limits on, the
    development credentials the services also accept."""
    return {
        "rate_limit": dict(SHARED_RATE_LIMIT),
        # development HS256 tokens, and the login's RS256 ones (keys fetched from customers)
        "auth": {
            "jwt_secret": DEV_JWT_SECRET,
            "jwks_url": "/.well-known/jwks.json",
            "jwks_min_refresh": JWKS_MIN_REFRESH,
        },
    }


@contextlib.contextmanager
def edge_system(workdir: Path, postgres_url: str, redis_url: str) -> Iterator[EdgeSystem]:
    """Everything started, ready, and stopped again (databases dropped, Redis keys deleted)."""
    prefix = f"specfirst:test:security:{uuid.uuid4().hex[:8]}:"
    # the login's throttle counters in Redis, shared by the services' workers
    shared = {"REDIS_URL": redis_url, "SPECFIRST_LOGIN_REDIS_PREFIX": prefix + "login:"}
    with (
        service_databases(postgres_url, SERVICES, "sf_security") as databases,
        running_system(workdir, databases, shared) as system,
    ):
        ports = {name: int(system.url(name).rsplit(":", 1)[1]) for name in SERVICES}
        environment = {**service_environment(ports, databases), **shared}
        settings = merge_settings(
            shared_gateway_settings(), {"rate_limit": {"redis_prefix": prefix}}
        )
        env = {
            **{f"SPECFIRST_UPSTREAM_{n.upper()}": system.url(n) for n in SERVICES},
            "REDIS_URL": redis_url,
            "SPECFIRST_API_KEYS": DEV_API_KEY,
        }
        gateway = start_gateway_process(workdir / "gateway", settings, env, GATEWAY_WORKERS)
        try:
            yield EdgeSystem(
                workdir, system, environment, gateway, settings, env, redis_url, prefix
            )
        finally:
            gateway.stop()
            _delete_keys(redis_url, prefix)


def _delete_keys(redis_url: str, prefix: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
