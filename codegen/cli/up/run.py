"""Bring a :class:`~codegen.cli.up.plan.SystemPlan` up: migrate, start, wait, report, supervise.

1. every service's database is migrated (in parallel; PostgreSQL databases
   are created first when missing), each ``manage.py migrate`` logged to
   ``.cache/up/<name>.migrate.log``;
2. every process starts under :class:`~codegen.cli.up.supervisor.Supervisor`
   (one merged, prefixed log stream; restarts with backoff);
3. a watcher polls each process's ``/readyz`` and, once all answer 200,
   prints the URLs::

       system    | ready in 3.1s
       system    |   gateway    http://127.0.0.1:8000
       system    |   docs       http://127.0.0.1:8000/docs
       system    |   catalog    http://127.0.0.1:8001

   If they are not all ready within the timeout, everything is stopped and
   the exit status is 1. Once ready, the URLs are also recorded in
   ``.cache/up/system.json`` (:mod:`codegen.core.running`, read by
   ``specfirst routes``) until the system stops.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import socket
import sys
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
from honcho.printer import Printer
from psycopg import sql

from codegen.cli.console import OutputMode
from codegen.cli.up.login import login_hints
from codegen.cli.up.plan import ProcessPlan, SystemPlan
from codegen.cli.up.printers import JsonPrinter
from codegen.cli.up.supervisor import Supervisor
from codegen.core.errors import UserError
from codegen.core.running import RunningSystem, remove_record, write_record
from codegen.verify.contract.database import POSTGRES_SCHEMES
from codegen.verify.contract.process import migrate

READY_TIMEOUT = 120.0
POLL_INTERVAL = 0.25


def ensure_database(url: str) -> None:
    """Make sure ``url`` can be migrated: a SQLite file's directory exists; a PostgreSQL
    database is created when missing (other engines are left to their admins)."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        return
    if parts.scheme not in POSTGRES_SCHEMES:
        return
    name = parts.path.strip("/")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if found.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise UserError(f"cannot create the PostgreSQL database {name!r}: {exc}") from None


def migrate_all(plan: SystemPlan, log_dir: Path) -> None:
    """``manage.py migrate`` for every service at once; the first failure is raised."""
    log_dir.mkdir(parents=True, exist_ok=True)

    def one(process: ProcessPlan) -> None:
        if process.database_url:
            ensure_database(process.database_url)
        if process.target is None:  # it migrates itself (production: servicekit.serve)
            return
        log = log_dir / f"{process.name}.migrate.log"
        log.write_text("", encoding="utf-8")
        migrate(process.target, process.env, log)

    with ThreadPoolExecutor(max_workers=max(1, len(plan.services))) as pool:
        for future in [pool.submit(one, process) for process in plan.services]:
            future.result()


def busy_ports(plan: SystemPlan) -> list[str]:
    """``["8001 (catalog)"]`` for every planned port something already listens on."""
    busy = []
    for process in plan.processes:
        parts = urlsplit(process.url)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((parts.hostname or "127.0.0.1", parts.port or 80)) == 0:
                busy.append(f"{parts.port} ({process.name})")
    return busy


def shell_command(argv: tuple[str, ...]) -> str:
    """honcho runs a shell command line; ``exec`` makes the real process the group leader.

    ``("python", "-m", "x y")`` -> ``"exec python -m 'x y'"``.
    """
    return "exec " + shlex.join(argv)


def urls(plan: SystemPlan) -> dict[str, str]:
    """``{"gateway": ..., "docs": ..., "<service>": ...}``: what ``up`` reports once ready."""
    found: dict[str, str] = {}
    if plan.gateway is not None:
        found |= {"gateway": plan.gateway.url, "docs": plan.gateway.url + "/docs"}
    return found | {process.name: process.url for process in plan.services}


def summary(plan: SystemPlan, elapsed: float) -> list[str]:
    """The lines printed once everything is ready (and how to log in, where one can)."""
    rows = list(urls(plan).items())
    width = max(len(name) for name, _ in rows)
    lines = [f"ready in {elapsed:.1f}s"] + [f"  {name.ljust(width)}  {url}" for name, url in rows]
    for process in plan.services:
        target = process.target
        if target is not None:
            base = plan.gateway.url if plan.gateway is not None else process.url
            lines += login_hints(base, target.directory, target.spec)
    return lines


def _ready(process: ProcessPlan, client: httpx.Client) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return client.get(process.url + process.ready_path).status_code == 200
    return False


def running_system(plan: SystemPlan) -> RunningSystem:
    """What ``up`` records of ``plan`` once it is ready."""
    return RunningSystem(
        pid=os.getpid(),
        gateway=plan.gateway.url if plan.gateway is not None else None,
        upstreams={process.name: process.url for process in plan.services},
    )


def watch_readiness(
    plan: SystemPlan,
    supervisor: Supervisor,
    timeout: float,
    started: float,
    mode: OutputMode = OutputMode.TEXT,
    *,
    root: Path | None = None,
) -> threading.Thread:
    """A daemon thread that reports the URLs (and records them under ``root``)
    when every process is ready, or stops all."""

    def run() -> None:
        pending = list(plan.processes)
        deadline = started + timeout
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while pending and time.monotonic() < deadline:
                pending = [process for process in pending if not _ready(process, client)]
                if pending:
                    time.sleep(POLL_INTERVAL)
        elapsed = round(time.monotonic() - started, 1)
        if pending:
            names = ", ".join(f"{p.name} ({p.url}{p.ready_path})" for p in pending)
            if mode is OutputMode.JSON:
                supervisor.emit({"event": "not-ready", "pending": [p.name for p in pending]})
            supervisor.say(f"not ready after {timeout:.0f}s: {names}; stopping")
            supervisor.stop(1)
            return
        if root is not None:
            write_record(root, running_system(plan))
        if mode is OutputMode.JSON:
            supervisor.emit({"event": "ready", "elapsed": elapsed, "urls": urls(plan)})
        else:
            for line in summary(plan, elapsed):
                supervisor.say(line)

    thread = threading.Thread(target=run, name="specfirst-up-readiness", daemon=True)
    thread.start()
    return thread


def make_supervisor(
    plan: SystemPlan, mode: OutputMode = OutputMode.TEXT, environ: Mapping[str, str] = os.environ
) -> Supervisor:
    """A Supervisor with every process added. Text is coloured unless ``NO_COLOR`` is set;
    ``QUIET`` keeps only the supervisor's own lines; ``JSON`` prints JSON lines."""
    printer = (
        JsonPrinter(sys.stdout)
        if mode is OutputMode.JSON
        else Printer(sys.stdout, colour=not environ.get("NO_COLOR"))
    )
    supervisor = Supervisor(printer)
    for process in plan.processes:
        supervisor.add_process(
            process.name, shell_command(process.argv), quiet=mode is OutputMode.QUIET,
            env=dict(process.env), cwd=str(process.cwd),
        )  # fmt: skip
    return supervisor


def run_system(
    plan: SystemPlan,
    root: Path,
    ready_timeout: float = READY_TIMEOUT,
    mode: OutputMode = OutputMode.TEXT,
) -> int:
    """Migrate, start and supervise ``plan`` until Ctrl-C/SIGTERM; the exit status."""
    busy = busy_ports(plan)
    if busy:
        raise UserError(
            f"port(s) already in use: {', '.join(busy)}; is specfirst up already running?"
            " Choose other ports with --base-port N (or 0 for free ones)"
        )
    started = time.monotonic()
    names = ", ".join(process.name for process in plan.services)
    if mode is OutputMode.TEXT:
        sys.stdout.write(f"preparing the databases of {names} (logs: {root / '.cache' / 'up'})\n")
        sys.stdout.flush()
    migrate_all(plan, root / ".cache" / "up")
    supervisor = make_supervisor(plan, mode)
    watch_readiness(plan, supervisor, ready_timeout, started, mode, root=root)
    try:
        supervisor.loop()
    finally:
        remove_record(root, os.getpid())
    return int(supervisor.returncode or 0)
