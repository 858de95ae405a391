"""What ``specfirst up`` runs: one :class:`ProcessPlan` per service, plus the gateway.

Planning is pure (no process is started here), so ports, databases and
environments can be checked in unit tests::

    plan_system(root, UpOptions(base_port=8000))
    -> SystemPlan(services=[ProcessPlan("catalog", [...gunicorn...], url="http://127.0.0.1:8001"),
                            ProcessPlan("customers", ...), ProcessPlan("orders", ...)],
                  gateway=ProcessPlan("gateway", [...], url="http://127.0.0.1:8000"))

Ports: the gateway takes the base port; a service keeps the upstream port
configured for it in ``[tool.specfirst.services.<name>]``, moved by as much as
``--base-port`` moves the gateway from 8000, so ``specfirst up`` and a
hand-started ``specfirst gateway`` agree and a new service never moves the
others; services without a configured port take the free ports after the
base (``--base-port 0`` gives every process an ephemeral port). Each service
gets its own database (see
:func:`service_database_url`) and the URL of every other service as
``<NAME>_URL`` (``orders`` finds ``CATALOG_URL``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from servicekit.serve import gunicorn_command  # Django-free: it only builds the argv

from codegen.cli.scaffold.config import loopback_port
from codegen.core.errors import UserError
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.login import jwks_env, system_login
from codegen.verify.contract.process import free_port, service_env
from codegen.verify.contract.targets import ServiceTarget, discover, start_order
from gateway.config import load_config, upstream_env_var

DEFAULT_BASE_PORT = 8000
HOST = "127.0.0.1"
SQLITE_SCHEME = "sqlite"


@dataclass(frozen=True, slots=True)
class UpOptions:
    """The command line of ``specfirst up``; ``base_port=None`` means the default."""

    base_port: int | None = None
    database_url: str | None = None
    gateway: bool = True
    prod: bool = False
    workers: int | None = None


@dataclass(frozen=True, slots=True)
class ProcessPlan:
    """One long-running process: its argv, where and with what it runs, where it answers."""

    name: str
    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str]
    url: str
    ready_path: str = "/readyz"
    database_url: str | None = None
    target: ServiceTarget | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class SystemPlan:
    services: tuple[ProcessPlan, ...]
    gateway: ProcessPlan | None

    @property
    def processes(self) -> tuple[ProcessPlan, ...]:
        return self.services + ((self.gateway,) if self.gateway else ())


def env_name(service: str) -> str:
    """``orders-v2`` -> ``ORDERS_V2`` (the prefix of ``ORDERS_V2_URL``)."""
    return re.sub(r"[^A-Za-z0-9]", "_", service).upper()


def service_database_url(base: str | None, service: str, service_dir: Path) -> str:
    """The database URL of one service.

    * no base: the service's own default, SQLite ``<service_dir>/var/<service>.sqlite3``;
    * ``sqlite:///data`` (a directory) -> ``sqlite:///data/orders.sqlite3``;
    * ``postgres://u@h:5432`` -> ``postgres://u@h:5432/orders``, and
      ``postgres://u@h:5432/shop`` -> ``postgres://u@h:5432/shop_orders``.
    """
    if not base:
        return f"sqlite:///{(service_dir / 'var' / f'{service}.sqlite3').resolve()}"
    parts = urlsplit(base)
    if not parts.scheme:
        raise UserError(
            f"--database-url must be a URL like postgres://... or sqlite:///dir, got {base!r}"
        )
    if parts.scheme == SQLITE_SCHEME:
        directory = Path(base[len("sqlite:///") :] or ".").resolve()
        return f"sqlite:///{directory / f'{service}.sqlite3'}"
    prefix = parts.path.strip("/")
    database = f"{prefix}_{service}" if prefix else service
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def assign_ports(
    names: Sequence[str], base_port: int | None, configured: Mapping[str, int | None]
) -> dict[str, int]:
    """Ports for ``"gateway"`` and each service.

    The gateway takes the base port (8000 by default). A service with a
    configured loopback port keeps its place relative to the gateway: 8003
    with the default base, ``N + 3`` with ``--base-port N``, so adding a
    service (``specfirst new`` configures the port after the highest) never
    moves the others. Services without one take the free ports after the base,
    in name order. ``base_port=0`` picks a free ephemeral port for every process.

    ``assign_ports(["a", "b"], 9000, {"a": 8003})`` -> ``{"gateway": 9000, "a": 9003, "b": 9001}``.
    """
    if base_port == 0:
        return {name: free_port() for name in ("gateway", *names)}
    base = DEFAULT_BASE_PORT if base_port is None else base_port
    shift = base - DEFAULT_BASE_PORT
    ports = {"gateway": base}
    for name in names:
        port = configured.get(name)
        if port is not None and port + shift not in ports.values():
            ports[name] = port + shift
    candidate = base + 1
    for name in names:
        if name in ports:
            continue
        while candidate in ports.values():
            candidate += 1
        ports[name] = candidate
        candidate += 1
    if max(ports.values()) > 65535 or min(ports.values()) < 1:
        raise UserError(
            f"--base-port {base} leaves no room for the ports of {len(names) + 1} processes"
        )
    return ports


def project_ports(root: Path, names: Sequence[str], base_port: int | None) -> dict[str, int]:
    """:func:`assign_ports` with the ports the project at ``root`` configures for its
    services' upstreams: ``specfirst up`` and ``specfirst test --base-port`` place every
    process by this one rule."""
    config = load_config(root)
    configured = {name: loopback_port(config.service(name).upstream) for name in names}
    return assign_ports(names, base_port, configured)


def _service_plan(
    target: ServiceTarget,
    port: int,
    database_url: str,
    peers: Mapping[str, str],
    options: UpOptions,
    *,
    keys: Mapping[str, str],
) -> ProcessPlan:
    workers = options.workers or 1
    argv = gunicorn_command(target.name, HOST, port, workers, 8, directory=target.directory)
    extra = {f"{env_name(name)}_URL": url for name, url in peers.items() if name != target.name}
    extra.update(keys)
    env = service_env(target, database_url, extra)
    return ProcessPlan(
        name=target.name,
        argv=tuple(argv),
        cwd=target.directory,
        env=env,
        url=f"http://{HOST}:{port}",
        database_url=database_url,
        target=target,
    )


def _gateway_plan(root: Path, port: int, services: Sequence[ProcessPlan]) -> ProcessPlan:
    env = dict(os.environ)
    env.update({upstream_env_var(plan.name): plan.url for plan in services})
    env["PYTHONUNBUFFERED"] = "1"
    argv = (
        sys.executable, "-m", "gateway", "gateway", "--root", str(root),
        "--host", HOST, "--port", str(port), "--workers", "1",
    )  # fmt: skip
    return ProcessPlan(name="gateway", argv=argv, cwd=root, env=env, url=f"http://{HOST}:{port}")


def _database_url(options: UpOptions, target: ServiceTarget) -> str:
    if options.database_url:
        return service_database_url(options.database_url, target.name, target.directory)
    own = os.environ.get(f"{env_name(target.name)}_DATABASE_URL") or os.environ.get("DATABASE_URL")
    return own or service_database_url(None, target.name, target.directory)


def plan_system(root: Path, options: UpOptions) -> SystemPlan:
    """Every development process of the project at ``root``, dependencies first
    (``--prod`` plans with :func:`codegen.cli.up.production.plan_production`)."""
    root = root.resolve()
    known = discover(load_settings(root))
    if not known:
        raise UserError(
            f"no services under {root / 'services'} "
            "(a service is services/<name>/manage.py + specs/<name>.yaml); "
            "create one with: specfirst new NAME"
        )
    targets = start_order(known, sorted(known))
    ports = project_ports(root, [t.name for t in targets], options.base_port)
    peers = {t.name: f"http://{HOST}:{ports[t.name]}" for t in targets}
    keys = jwks_env(system_login(targets), peers)  # RS256 tokens of the login verify everywhere
    services = tuple(
        _service_plan(t, ports[t.name], _database_url(options, t), peers, options, keys=keys)
        for t in targets
    )
    if not options.gateway:
        return SystemPlan(services=services, gateway=None)
    return SystemPlan(services, _gateway_plan(root, ports["gateway"], services))
