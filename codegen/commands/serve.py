"""``specfirst serve SPEC``: try a contract before any code exists.

Generates the spec into a temporary Django app and serves it (uvicorn, one
process, no autoreloader): every operation validates its request exactly as
generated services do, then answers 501 Not Implemented. The Django side
lives in :mod:`servicekit.contract.serve` (``codegen`` never imports Django
at module level).
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from codegen.console import UserError
from codegen.diagnostics import render_text
from codegen.generation import Target, plan


def serve_command(
    spec: Annotated[Path, typer.Argument(help="The OpenAPI spec to serve.")],
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port.")] = 8000,
) -> None:
    """Serve any spec at once: requests are validated, then answered with 501.

    Examples:

      specfirst serve specs/orders.yaml

      specfirst serve ~/Downloads/petstore.json --port 9000
    """
    if not spec.is_file():
        raise UserError(f"{spec}: no such file")
    with tempfile.TemporaryDirectory(prefix="specfirst-serve-") as tmp:
        package = "specfirst_served_api"
        result = plan([Target(spec, Path(tmp) / package, app=True)])
        if result.diagnostics:
            typer.echo(render_text(result.diagnostics), err=True)
        if result.failed:
            typer.echo(f"cannot serve {spec}: blocking errors", err=True)
            raise typer.Exit(1)
        for fileset in result.filesets:
            fileset.write()
        typer.echo(
            f"Serving {spec} at http://{host}:{port}/ "
            "(requests are validated; every operation answers 501). Ctrl+C stops."
        )
        runner = importlib.import_module("servicekit.contract.serve")
        runner.serve(Path(tmp), package, host, port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
