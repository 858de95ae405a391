"""``specfirst up``: the whole system, one command.

Migrates each service's database, starts every service and the gateway under
one supervisor (merged, prefixed log; crashed processes restarted with
backoff), waits for each ``/readyz`` and prints the URLs. Ctrl-C or SIGTERM
stops everything. See docs/quickstart.md and :mod:`codegen.cli.up`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codegen.cli.console import output_mode
from codegen.cli.up.plan import UpOptions, plan_system
from codegen.cli.up.production import plan_production
from codegen.cli.up.run import READY_TIMEOUT, run_system


def up_command(
    *,
    prod: Annotated[
        bool,
        typer.Option(
            "--prod",
            help="Production process set (docs/deploy.md): SPECFIRST_PRODUCTION=1, needs "
            "DJANGO_SECRET_KEY, REDIS_URL and a database URL; 2 workers per process.",
        ),
    ] = False,
    base_port: Annotated[
        int | None,
        typer.Option(
            "--base-port",
            min=0,
            max=65535,
            help="Gateway port (default 8000); each service keeps its configured port, "
            "moved as far as the gateway (8003 becomes N+3), others take the next free "
            "ones. 0: ephemeral ports.",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Base database URL; each service gets its own database named after it "
            "(postgres://h/ -> postgres://h/orders; sqlite:///DIR -> DIR/orders.sqlite3). "
            "Default: SQLite under services/<name>/var/.",
        ),
    ] = None,
    gateway: Annotated[
        bool, typer.Option("--gateway/--no-gateway", help="Also start the gateway.")
    ] = True,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="gunicorn workers per service.")
    ] = None,
    ready_timeout: Annotated[
        float, typer.Option("--ready-timeout", min=1, help="Seconds to wait for /readyz.")
    ] = READY_TIMEOUT,
    root: Annotated[Path, typer.Option("--root", help="Project root.")] = Path("."),
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Hide the processes' output; keep start/stop/ready."),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="JSON lines on stdout, with a 'ready' event listing URLs."),
    ] = False,
) -> None:
    """Start every service and the gateway; Ctrl-C stops them all.

    Examples:

      specfirst up

      specfirst up --base-port 9000 --database-url postgres://postgres@127.0.0.1:5432/

      specfirst up --no-gateway --base-port 0

      specfirst up --base-port 0 --json
    """
    mode = output_mode(quiet, as_json)
    options = UpOptions(
        base_port=base_port, database_url=database_url, gateway=gateway, prod=prod, workers=workers
    )
    plan = plan_production(root, options) if prod else plan_system(root, options)
    try:
        code = run_system(plan, root.resolve(), ready_timeout, mode)
    except KeyboardInterrupt:  # Ctrl-C while migrating: nothing is running yet
        raise typer.Exit(130) from None
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("up")(up_command)
