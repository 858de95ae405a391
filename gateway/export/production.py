"""The production process set: what ``specfirst up --prod`` starts.

:func:`production_processes` returns one :class:`ProcessCommand` per service
and one for the gateway, with the server configuration ``bench/servers.py``
measured fastest for a DRF service (gunicorn ``gthread`` workers; see
docs/scaling.md) and the production environment:

* each service: ``python -m servicekit.serve NAME`` (migrate, then gunicorn
  gthread with ``--workers``/``--threads``) with ``SPECFIRST_PRODUCTION=1``,
  its own ``<NAME>_DATABASE_URL``, ``DJANGO_SECRET_KEY`` and
  ``DJANGO_ALLOWED_HOSTS``, and ``<OTHER>_URL`` for every other service (how
  orders finds catalog and customers);
* the gateway: ``python -m gateway gateway --workers N`` with
  ``SPECFIRST_UPSTREAM_<NAME>`` for every service and ``REDIS_URL`` so its
  workers share rate limits;
* the identity key pair (codegen.core.auth.forwarded): the gateway gets the
  signing key as ``SPECFIRST_IDENTITY_KEY``, every service its public half as
  ``SPECFIRST_IDENTITY_PUBLIC_KEY``. Given as ``identity_key``, else a fresh
  pair for this process set: it lives only in the processes' environment.

Nothing is started here; the caller (``up --prod``) runs the commands, e.g.
with honcho, and owns their lifetime. The other secrets come from the caller's
environment and are never invented: a missing one is an error that names it.

Example::

    production_processes(["catalog", "orders"], {"catalog": "postgres://.../catalog",
        "orders": "postgres://.../orders"}, redis_url="redis://127.0.0.1:6379/0",
        secret_key="...", ports=Ports(gateway=8000, first_service=8001))
    → [ProcessCommand("catalog", ("python", "-m", "servicekit.serve", "catalog",
        "--host", "127.0.0.1", "--port", "8001", "--workers", "2", "--threads", "4",
        "--no-access-log"), {...}), ProcessCommand("orders", ...),
       ProcessCommand("gateway", ("python", "-m", "gateway", "gateway", ...), {...})]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from codegen.core.auth.forwarded import generate_private_key, public_key_of
from codegen.core.errors import UserError
from gateway.config import upstream_env_var

SERVICE_WORKER_CLASS = "gthread"  # measured fastest by bench/servers.py on 2 cores


@dataclass(frozen=True, slots=True)
class Ports:
    """Where everything listens: services get consecutive ports from
    ``first_service`` in name order unless ``services`` names their port."""

    gateway: int = 8000
    first_service: int = 8001
    services: Mapping[str, int] = field(default_factory=dict)

    def service(self, name: str, index: int) -> int:
        return self.services.get(name, self.first_service + index)


@dataclass(frozen=True, slots=True)
class Sizing:
    service_workers: int = 2
    service_threads: int = 4
    gateway_workers: int = 2


@dataclass(frozen=True, slots=True)
class ProcessCommand:
    name: str
    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)  # added to the caller's environment


def _env_name(service: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", service).upper()


def production_processes(
    services: Sequence[str],
    database_urls: Mapping[str, str],
    *,
    redis_url: str,
    secret_key: str,
    ports: Ports = Ports(),
    sizing: Sizing = Sizing(),
    host: str = "127.0.0.1",
    allowed_hosts: str = "127.0.0.1,localhost",
    root: Path = Path("."),
    python: str = sys.executable,
    identity_key: str = "",
) -> list[ProcessCommand]:
    """The services' and the gateway's production commands (see module docstring)."""
    missing = [name for name in services if not database_urls.get(name)]
    if missing:
        raise UserError(f"production needs a database URL for: {', '.join(sorted(missing))}")
    if not redis_url:
        raise UserError("production needs REDIS_URL (the gateway workers share limits there)")
    if not secret_key:
        raise UserError("production needs DJANGO_SECRET_KEY")
    identity_key = identity_key or generate_private_key()
    identity_public = public_key_of(identity_key)
    names = sorted(services)
    urls = {name: f"http://{host}:{ports.service(name, i)}" for i, name in enumerate(names)}
    commands = [
        _service(
            name,
            port=ports.service(name, i),
            urls=urls,
            env={
                f"{_env_name(name)}_DATABASE_URL": database_urls[name],
                "DJANGO_SECRET_KEY": secret_key,
                "DJANGO_ALLOWED_HOSTS": allowed_hosts,
                "SPECFIRST_IDENTITY_PUBLIC_KEY": identity_public,
            },
            sizing=sizing,
            host=host,
            python=python,
        )
        for i, name in enumerate(names)
    ]
    gateway_env = {upstream_env_var(name): url for name, url in urls.items()}
    gateway_env["REDIS_URL"] = redis_url
    gateway_env["SPECFIRST_IDENTITY_KEY"] = identity_key
    commands.append(
        ProcessCommand(
            "gateway",
            (
                python,
                "-m",
                "gateway",
                "gateway",
                "--host",
                host,
                "--port",
                str(ports.gateway),
                "--workers",
                str(sizing.gateway_workers),
                "--no-access-log",
                "--root",
                str(root),
            ),
            gateway_env,
        )
    )
    return commands


def _service(
    name: str,
    *,
    port: int,
    urls: Mapping[str, str],
    env: Mapping[str, str],
    sizing: Sizing,
    host: str,
    python: str,
) -> ProcessCommand:
    full_env = {
        "SPECFIRST_PRODUCTION": "1",
        "DJANGO_SETTINGS_MODULE": f"{name}_site.settings",
        "DJANGO_DEBUG": "0",
        **env,
    }
    full_env.update(
        {f"{_env_name(other)}_URL": url for other, url in urls.items() if other != name}
    )
    argv = (
        python, "-m", "servicekit.serve", name, "--host", host, "--port", str(port),
        "--workers", str(sizing.service_workers), "--threads", str(sizing.service_threads),
        "--no-access-log",
    )  # fmt: skip
    return ProcessCommand(name, argv, full_env)
