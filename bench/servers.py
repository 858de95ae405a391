"""Benchmark: which production server configuration serves a service fastest.

One run on 127.0.0.1, the same service (catalog), the same production
settings (``SPECFIRST_PRODUCTION=1``: DEBUG off, JSON request logs with
request ids, PostgreSQL when reachable on 127.0.0.1:5432 with persistent
connections, else a SQLite file), the same simple detail endpoint
(``GET /categories/{id}``, anonymous), each configuration with 2 workers:

* gunicorn ``sync`` workers (one request at a time; the connection is closed
  after each response);
* gunicorn ``gthread`` workers, 4 threads each (keep-alive);
* uvicorn serving the Django ASGI application (2 workers, uvloop/httptools).

Load is bounded: wrk (``apt-get install -y wrk``), ``--duration`` seconds at
``--connections`` connections after a 2 s warm-up. It prints requests/s,
p50/p99 latency and each configuration's ratio to the fastest; the fastest
is what :mod:`gateway.export.production` runs.

Usage::

    .venv/bin/python bench/servers.py [--duration 8] [--connections 16]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.gateway import Load, free_port, running, wrk  # noqa: E402  (after sys.path setup)
from gateway.export.production import SERVICE_WORKER_CLASS  # noqa: E402

SERVICE = "catalog"
SERVICE_DIR = REPO_ROOT / "services" / SERVICE
API_KEY = "bench-api-key"
PYTHON = sys.executable
WORKERS = 2


def configurations(port: int) -> dict[str, list[str]]:
    """Server name → argv serving the catalog on 127.0.0.1:``port``."""
    bind = f"127.0.0.1:{port}"
    gunicorn = [PYTHON, "-m", "gunicorn", f"{SERVICE}_site.wsgi:application",
                "--chdir", str(SERVICE_DIR), "--bind", bind, "--workers", str(WORKERS),
                "--log-level", "warning"]  # fmt: skip
    return {
        "gunicorn sync": [*gunicorn, "--worker-class", "sync"],
        "gunicorn gthread (4 threads)": [*gunicorn, "--worker-class", "gthread", "--threads", "4"],
        "uvicorn ASGI": [
            PYTHON,
            "-m",
            "uvicorn",
            f"{SERVICE}_site.asgi:application",
            "--app-dir",
            str(SERVICE_DIR),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
    }


@contextlib.contextmanager
def database(workdir: Path) -> Iterator[str]:
    """A fresh PostgreSQL database when one is reachable, else a SQLite file."""
    try:
        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
    except Exception as exc:  # any failure to reach PostgreSQL means: use SQLite
        print(f"PostgreSQL unavailable ({type(exc).__name__}); using SQLite")
        yield f"sqlite:///{workdir / 'catalog.sqlite3'}"
        return
    name = f"sf_bench_{uuid.uuid4().hex[:8]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgres://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    env.update(
        SPECFIRST_PRODUCTION="1",
        DJANGO_SECRET_KEY="bench-" + uuid.uuid4().hex,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        CATALOG_DATABASE_URL=database_url,
        SPECFIRST_API_KEYS=API_KEY,
        DJANGO_SETTINGS_MODULE=f"{SERVICE}_site.settings",
    )
    return env


def create_category(base: str) -> str:
    body = json.dumps({"name": "Bench", "slug": "bench"}).encode()
    request = urllib.request.Request(
        f"{base}/categories", body, method="POST",
        headers={"Content-Type": "application/json", "X-API-Key": API_KEY},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per load run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as tmp, database(Path(tmp)) as database_url:
        workdir = Path(tmp)
        env = environment(database_url)
        os.environ.update(env)
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
                       cwd=SERVICE_DIR, env=env, check=True)  # fmt: skip
        loads: list[Load] = []
        category: str | None = None
        for name, argv in configurations(free_port()).items():
            port = (
                int(argv[argv.index("--port") + 1])
                if "--port" in argv
                else int(argv[argv.index("--bind") + 1].rsplit(":", 1)[1])
            )
            base = f"http://127.0.0.1:{port}"
            log = workdir / f"{name.split()[0]}-{len(loads)}.log"
            with running(argv, f"{base}/healthz", log, cwd=SERVICE_DIR):
                category = category or create_category(base)
                loads.append(
                    wrk(name, f"{base}/categories/{category}", args.duration,
                        args.connections, args.threads)
                )  # fmt: skip
        report(loads, database_url, args)


def report(loads: list[Load], database_url: str, args: argparse.Namespace) -> None:
    best = max(loads, key=lambda load: load.requests_per_second)
    print(
        f"\nGET /categories/{{id}} on {SERVICE}, {WORKERS} workers each, production settings, "
        f"{'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'}; "
        f"wrk {args.duration}s, {args.connections} connections, {args.threads} threads; "
        f"{os.cpu_count()} CPUs shared with wrk"
    )
    print(f"{'server':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs best':>8}")
    for load in loads:
        ratio = load.requests_per_second / best.requests_per_second
        print(
            f"{load.name:32} {load.requests_per_second:9.0f} {load.p50_ms:8.2f} "
            f"{load.p99_ms:8.2f} {load.errors:7d} {ratio:8.2f}x"
        )
    slowest = min(loads, key=lambda load: load.requests_per_second)
    print(
        f"fastest: {best.name} ({best.requests_per_second / slowest.requests_per_second:.2f}x "
        f"the slowest, {slowest.name})"
    )
    agrees = SERVICE_WORKER_CLASS in best.name
    print(
        f"production_processes runs gunicorn {SERVICE_WORKER_CLASS}: "
        + (
            "the fastest here"
            if agrees
            else "NOT the fastest here; revisit gateway/export/production.py"
        )
    )


if __name__ == "__main__":
    main()
