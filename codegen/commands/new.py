"""``specfirst new SERVICE``: a new, working service in one command.

Writes the spec, the Django project, the generated code and an implemented
example operation, and registers the service with the gateway; see
:mod:`codegen.scaffold.service` and docs/quickstart.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codegen.scaffold.service import scaffold_service


def new_command(
    service: Annotated[
        str, typer.Argument(help="The service name: a lower-case Python identifier.")
    ],
    root: Annotated[Path, typer.Option("--root", help="Project root.")] = Path("."),
) -> None:
    """Scaffold a service: spec, Django project, generated code, implementation.

    Right after it, `specfirst generate --check`, `specfirst test SERVICE`,
    `specfirst drift SERVICE` and the gateway all accept the new service.

    Examples:

      specfirst new inventory

      specfirst new stock_levels --root ~/src/shop
    """
    result = scaffold_service(root, service)
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


def register(app: typer.Typer) -> None:
    app.command("new")(new_command)
