"""Orchestrate ``specfirst test``: databases, processes, seeding, schemathesis.

``run_service`` tests one service: it (and every service it requires) gets a
fresh migrated database and a gunicorn process on a free 127.0.0.1 port;
dependencies are reachable through ``<NAME>_URL`` with ``<NAME>_API_KEY``.
``run_gateway`` starts every service (or the named ones and what they require)
plus ``specfirst gateway`` in front of them and tests the merged spec the gateway
serves at ``/openapi.json`` (with services named, only the operations it routes to
them). Ports are ephemeral unless ``--base-port`` placed them (:attr:`RunContext.ports`).
Every process is stopped and every PostgreSQL database dropped on the way out.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from codegen.core.errors import UserError
from codegen.core.spec.bundle import bundle
from codegen.core.spec.loader import LoadedSpec, load_spec
from codegen.verify.contract import seed as seeding
from codegen.verify.contract.config import TestSettings
from codegen.verify.contract.credentials import Credentials, auth_config, auth_headers
from codegen.verify.contract.database import Database, provision
from codegen.verify.contract.engine import (
    RunOptions,
    ScenarioObserver,
    run_target,
    schemathesis_config,
)
from codegen.verify.contract.identities import TokenSwap
from codegen.verify.contract.login import has_createadmin, jwks_env, login_token, system_login
from codegen.verify.contract.process import (
    ManagedProcess,
    free_port,
    migrate,
    running,
    service_env,
    service_process,
)
from codegen.verify.contract.results import TargetResult
from codegen.verify.contract.scope import routed_to
from codegen.verify.contract.targets import ServiceTarget, start_order

Progress = Callable[[str], None]
SEED_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class RunContext:
    settings: TestSettings
    known: Mapping[str, ServiceTarget]
    credentials: Credentials
    options: RunOptions
    database_url: str | None
    progress: Progress
    observe: ScenarioObserver | None = None  # sees every scenario (``--coverage``)
    ports: Mapping[str, int] = field(default_factory=dict)  # name or "gateway" -> port
    # Each service's freshly migrated SQLite database, copied for its next start.
    migrated: dict[str, sqlite3.Connection] = field(default_factory=dict)

    def port(self, name: str) -> int:
        """The port ``--base-port`` gave process ``name``, else a free ephemeral one."""
        return self.ports.get(name) or free_port()


def load_loaded(path: Path) -> LoadedSpec:
    """The spec at ``path`` with every file it references; a user error when it cannot
    be loaded."""
    loaded, diagnostics = load_spec(path)
    if loaded is None:
        problems = "; ".join(str(d.message) for d in diagnostics[:3])
        raise UserError(f"{path}: cannot load the spec: {problems}")
    return loaded


def load_document(path: Path) -> dict[str, Any]:
    """The spec at ``path`` as one self-contained dict (external refs bundled)."""
    return bundle(load_loaded(path))


def _schemes(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    return (spec.get("components") or {}).get("securitySchemes") or {}


def _client(base_url: str, spec: Mapping[str, Any], creds: Credentials) -> httpx.Client:
    return httpx.Client(
        base_url=base_url, headers=auth_headers(_schemes(spec), creds), timeout=SEED_TIMEOUT
    )


@dataclass
class StartedService:
    target: ServiceTarget
    process: ManagedProcess
    spec: dict[str, Any]  # bundle(loaded)
    loaded: LoadedSpec


@contextlib.contextmanager
def started_services(
    ctx: RunContext, wanted: Sequence[str], workdir: Path
) -> Iterator[dict[str, StartedService]]:
    """Start ``wanted`` and their requirements, dependencies first; stop and drop on exit."""
    started: dict[str, StartedService] = {}
    databases: list[Database] = []
    processes: list[ManagedProcess] = []
    order = start_order(ctx.known, wanted)
    login = system_login(order)
    try:
        with running(processes):
            for target in order:
                database = provision(target.name, workdir, ctx.database_url)
                databases.append(database)
                extra = {
                    "SPECFIRST_JWT_SECRET": ctx.credentials.jwt_secret,
                    "SPECFIRST_API_KEYS": ctx.credentials.api_key,
                    # the login's RS256 tokens, once its service runs (it reads its own keys)
                    **jwks_env(login, {n: s.process.base_url for n, s in started.items()}),
                }
                for dependency in target.requires:
                    extra[f"{dependency.upper()}_URL"] = started[dependency].process.base_url
                    extra[f"{dependency.upper()}_API_KEY"] = ctx.credentials.api_key
                env = service_env(target, database.url, extra)
                process = service_process(target, env, workdir, ctx.port(target.name))
                ctx.progress(
                    f"starting {target.name} on {process.base_url} ({_db_label(database)})"
                )
                _migrated(ctx, target, env, database, process.log_path)
                processes.append(process)
                process.start()
                process.wait_ready()
                loaded = load_loaded(target.spec)
                started[target.name] = StartedService(target, process, bundle(loaded), loaded)
            yield started
    finally:
        for database in databases:
            with contextlib.suppress(Exception):
                database.drop()


def _migrated(
    ctx: RunContext,
    target: ServiceTarget,
    env: Mapping[str, str],
    database: Database,
    log_path: Path,
) -> None:
    """Migrate ``database``, or copy the service's database this run migrated already
    (SQLite: a migrated database is the same every time; ``migrate`` costs seconds)."""
    snapshot = ctx.migrated.get(target.name)
    if snapshot is not None and database.sqlite_path is not None:
        database.restore(snapshot)
        return
    migrate(target, env, log_path)
    fresh = database.snapshot()
    if fresh is not None:
        ctx.migrated[target.name] = fresh


def with_login(ctx: RunContext, started: Mapping[str, StartedService]) -> RunContext:
    """``ctx`` with the bearer token of the running system's login
    (:mod:`codegen.verify.contract.login`) instead of a minted one, where the
    system has a token endpoint and a ``createadmin`` command; else ``ctx``."""
    login = system_login(entry.target for entry in started.values())
    entry = started.get(login.service) if login is not None else None
    if login is None or entry is None or not has_createadmin(entry.target):
        return ctx
    process = entry.process
    token = login_token(
        entry.target, process.env, process.log_path, process.base_url, login.token_path
    )
    ctx.progress(f"logged in at {entry.target.name} {login.token_path} (client credentials)")
    return dataclasses.replace(ctx, credentials=dataclasses.replace(ctx.credentials, token=token))


def _db_label(database: Database) -> str:
    return f"PostgreSQL {database.name}" if database.name else "SQLite"


def seed_service(
    ctx: RunContext, started: Mapping[str, StartedService], name: str
) -> tuple[dict[str, list[Any]], list[str]]:
    """Seed service ``name`` (:func:`codegen.verify.contract.seed.seed_service`) through
    HTTP clients carrying valid credentials; notes name the creators not accepted."""
    entry = started[name]
    with contextlib.ExitStack() as stack:
        client = stack.enter_context(_client(entry.process.base_url, entry.spec, ctx.credentials))
        deps = {
            dep: stack.enter_context(
                _client(started[dep].process.base_url, started[dep].spec, ctx.credentials)
            )
            for dep in entry.target.requires
        }
        api = seeding.SeedApi(client=client, dependencies=deps)
        try:
            notes = seeding.seed_service(entry.target.directory, entry.loaded, api)
        except httpx.HTTPError as exc:
            raise UserError(f"{name}: seeding failed: {exc}") from None
    return api.remembered, [f"{name}: example not accepted: {note}" for note in notes]


def run_service(ctx: RunContext, name: str) -> TargetResult:
    """Start ``name`` (with what it requires) on fresh databases, seed it, test it."""
    with tempfile.TemporaryDirectory(prefix=f"specfirst-test-{name}-") as tmp:
        workdir = Path(tmp)
        with started_services(ctx, [name], workdir) as started:
            ctx = with_login(ctx, started)
            entry = started[name]
            remembered, notes = seed_service(ctx, started, name)
            config = schemathesis_config(
                entry.process.base_url,
                ctx.options,
                auth_config(_schemes(entry.spec), ctx.credentials),
                seeding.schemathesis_bindings(remembered),
                ctx.settings.schemathesis,
            )
            ctx.progress(f"testing {name} (seed {ctx.options.seed})")
            result = run_target(
                name,
                entry.spec,
                entry.process.base_url,
                ctx.options,
                config,
                observe=ctx.observe,
                swap=TokenSwap.for_run(ctx.credentials, ctx.options.seed),
            )
            result.seed_notes = notes
            return result


def gateway_process(
    ctx: RunContext, started: Mapping[str, StartedService], workdir: Path, *, scoped: bool
) -> ManagedProcess:
    """``specfirst gateway`` in front of ``started``: each upstream through
    ``SPECFIRST_UPSTREAM_<NAME>``, the test credentials as its JWT secret and API key.
    ``scoped``: not every service runs, so the gateway is ready once it answers
    ``/healthz`` (its ``/readyz`` waits for every upstream)."""
    port = ctx.port("gateway")
    env = {key: value for key, value in os.environ.items() if not key.endswith("DATABASE_URL")}
    env.update(
        {
            "SPECFIRST_JWT_SECRET": ctx.credentials.jwt_secret,
            "SPECFIRST_API_KEYS": f"contract-tests={ctx.credentials.api_key}",
            # the login's RS256 tokens (the contract tests' own among them)
            **jwks_env(
                system_login(e.target for e in started.values()),
                {n: e.process.base_url for n, e in started.items()},
            ),
        }
    )
    for name, entry in started.items():
        env["SPECFIRST_UPSTREAM_" + "".join(c if c.isalnum() else "_" for c in name).upper()] = (
            entry.process.base_url
        )
    argv = [
        sys.executable,
        "-m",
        "gateway",
        "gateway",
        "--port",
        str(port),
        "--no-access-log",
        "--root",
        str(ctx.settings.root),
        "--specs",
        str(ctx.settings.specs_dir),
    ]
    return ManagedProcess(
        label="gateway",
        argv=argv,
        cwd=ctx.settings.root,
        env=env,
        base_url=f"http://127.0.0.1:{port}",
        log_path=workdir / "gateway.log",
        health_path="/healthz" if scoped else "/readyz",
    )


def run_gateway(ctx: RunContext, services: Sequence[str] = ()) -> TargetResult:
    """The services behind ``specfirst gateway``, tested against the merged spec it serves.

    ``services``: only these (and what they require) are started, and only the operations
    the gateway routes to them are tested (:func:`codegen.verify.contract.scope.routed_to`);
    every service when empty."""
    scoped = bool(services)
    with tempfile.TemporaryDirectory(prefix="specfirst-test-gateway-") as tmp:
        workdir = Path(tmp)
        with started_services(ctx, list(services or ctx.known), workdir) as started:
            ctx = with_login(ctx, started)
            remembered: dict[str, list[Any]] = {}
            notes: list[str] = []
            for name in started:
                values, more = seed_service(ctx, started, name)
                notes.extend(more)
                for key, found in values.items():
                    remembered.setdefault(key, []).extend(
                        v for v in found if v not in remembered.get(key, [])
                    )
            gateway = gateway_process(ctx, started, workdir, scoped=scoped)
            with running([gateway]):
                ctx.progress(f"starting the gateway on {gateway.base_url}")
                gateway.start()
                gateway.wait_ready()
                spec = httpx.get(gateway.base_url + "/openapi.json", timeout=10).json()
                if scoped:
                    spec = routed_to(spec, services)
                    ctx.progress(f"the gateway's operations routed to {', '.join(services)}")
                config = schemathesis_config(
                    gateway.base_url,
                    ctx.options,
                    auth_config(_schemes(spec), ctx.credentials),
                    seeding.schemathesis_bindings(remembered),
                    ctx.settings.schemathesis,
                )
                ctx.progress(f"testing the gateway (seed {ctx.options.seed})")
                result = run_target(
                    "gateway",
                    spec,
                    gateway.base_url,
                    ctx.options,
                    config,
                    observe=ctx.observe,
                    swap=TokenSwap.for_run(ctx.credentials, ctx.options.seed),
                )
                result.seed_notes = notes
                return result
