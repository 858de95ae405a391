"""``specfirst new SERVICE``: a new, working service in one command.

Writes the spec, the Django project, the generated code and an implemented
example operation, and registers the service with the gateway; see
:mod:`codegen.cli.scaffold.service` and docs/quickstart.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from codegen.cli.console import OutputMode, Progress, output_mode
from codegen.cli.scaffold.service import STEPS, Scaffold, scaffold_service


def _report(result: Scaffold) -> None:
    name, slug = result.names.name, result.names.slug
    typer.echo(f"created service {name!r} (port {result.port}):")
    for path in result.written:
        typer.echo(f"  {path}")
    typer.echo(f"  {result.config_file.name}: [services.{name}] upstream added")
    typer.echo(
        "next:\n"
        "  specfirst up                      # every service and the gateway\n"
        f"  curl http://127.0.0.1:8000/{slug}/items\n"
        f"  edit {result.spec}, run specfirst generate, implement in"
        f" {result.service_dir}/{name}/api/views.py"
    )


def new_command(
    service: Annotated[
        str, typer.Argument(help="The service name: a lower-case Python identifier.")
    ],
    root: Annotated[Path, typer.Option("--root", help="Project root.")] = Path("."),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was created as JSON.")
    ] = False,
) -> None:
    """Scaffold a service: spec, Django project, generated code, implementation.

    Right after it, `specfirst generate --check`, `specfirst test SERVICE`,
    `specfirst drift SERVICE` and the gateway all accept the new service.

    Examples:

      specfirst new inventory

      specfirst new stock_levels --root ~/src/shop --json
    """
    mode = output_mode(quiet, as_json)
    with Progress(mode, total=STEPS, label=f"new {service}") as progress:
        result = scaffold_service(root, service, on_step=progress.step)
    if mode is OutputMode.JSON:
        payload = {
            "service": result.names.name,
            "port": result.port,
            "spec": str(result.spec),
            "service_dir": str(result.service_dir),
            "files": [str(path) for path in result.written],
            "config_file": str(result.config_file),
        }
        typer.echo(json.dumps(payload, indent=2))
    elif mode is OutputMode.TEXT:
        _report(result)


def register(app: typer.Typer) -> None:
    app.command("new")(new_command)
