"""Start one service: migrate its database, then serve it with gunicorn.

One command per service (``specfirst up`` runs the three)::

    python -m servicekit.serve catalog --port 8001
    python -m servicekit.serve customers --port 8002
    python -m servicekit.serve orders --port 8003

The service's environment (``<NAME>_DATABASE_URL``, ``CATALOG_URL``, ...) is
passed through unchanged. gunicorn runs threaded workers (``gthread``, with
problem+json error pages: :mod:`servicekit.worker`; request limits of
:mod:`codegen.core.limits`) so
that keep-alive connections from the gateway are reused and a slow
dependency call does not block the whole worker (bench/servers.py measured
it fastest of gunicorn sync, gthread and uvicorn; see docs/scaling.md).

With ``SPECFIRST_PRODUCTION=1`` the environment is checked first (see
:mod:`servicekit.production`): an unfit one stops the command with one line
listing every problem. ``--no-access-log`` leaves request logging to the
service's JSON request log.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from codegen.core.limits import DEFAULT_LIMITS, PROBLEM_WORKER, gunicorn_limit_options
from servicekit.production import ProductionSettingsError, check_production, production_enabled
from servicekit.settings import DEV_SECRET_KEY

SERVICES_DIR = Path(__file__).resolve().parents[1]


def service_dir(name: str) -> Path:
    """``service_dir("orders")`` -> ``<repo>/services/orders`` (it must hold ``manage.py``)."""
    path = SERVICES_DIR / name
    if not (path / "manage.py").is_file():
        known = sorted(p.parent.name for p in SERVICES_DIR.glob("*/manage.py"))
        raise SystemExit(f"unknown service {name!r}; known services: {', '.join(known)}")
    return path


def gunicorn_command(
    name: str,
    host: str,
    port: int,
    workers: int,
    threads: int,
    *,
    access_log: bool = True,
    directory: Path | None = None,
) -> list[str]:
    """The gunicorn argv serving ``<name>_site.wsgi`` on ``host:port``, from
    ``directory`` (default :func:`service_dir`; ``specfirst up`` passes its project's).

    ``access_log=False`` leaves request logging to the service itself (in
    production mode, JSON lines with the request id: servicekit.requestlog).
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        f"{name}_site.wsgi:application",
        "--chdir",
        str(directory or service_dir(name)),
        "--bind",
        f"{host}:{port}",
        "--worker-class",
        PROBLEM_WORKER,
        *gunicorn_limit_options(DEFAULT_LIMITS),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        "5",
        "--graceful-timeout",
        "5",
        *(["--access-logfile", "-"] if access_log else []),
        "--log-level",
        "warning",
    ]


def migrate(name: str) -> None:
    """``manage.py migrate --noinput`` for the service (creates the SQLite file if needed)."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=service_dir(name),
        check=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m servicekit.serve", description=__doc__)
    parser.add_argument("service", help="catalog, customers or orders")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--no-migrate", action="store_true", help="skip manage.py migrate")
    parser.add_argument("--no-access-log", action="store_true", help="no gunicorn access log")
    args = parser.parse_args(argv)
    service_dir(args.service)
    if production_enabled():  # refuse development defaults before touching the database
        try:
            check_production(args.service, os.environ, DEV_SECRET_KEY)
        except ProductionSettingsError as exc:
            raise SystemExit(str(exc)) from None
    # This process serves exactly this service, whatever the caller's environment says.
    os.environ["DJANGO_SETTINGS_MODULE"] = f"{args.service}_site.settings"
    if not args.no_migrate:
        migrate(args.service)
    command = gunicorn_command(
        args.service,
        args.host,
        args.port,
        args.workers,
        args.threads,
        access_log=not args.no_access_log,
    )
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
