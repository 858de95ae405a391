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
from typing import Annotated, Any

import typer

from codegen.cli.heap import paused_collector
from codegen.core.diagnostics import render_text
from codegen.core.errors import UserError
from codegen.core.strictness import QueryPolicy, validation_policy
from codegen.designer.mock.state import engine_for_spec
from codegen.generator.generation import Target, plan


def serve_command(
    spec: Annotated[Path, typer.Argument(help="The OpenAPI spec to serve.")],
    *,
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port.")] = 8000,
    mock: Annotated[
        bool, typer.Option("--mock", help="Answer with the spec's examples or generated data.")
    ] = False,
    stateful: Annotated[
        bool, typer.Option("--stateful", help="With --mock: remember created resources.")
    ] = False,
    seed: Annotated[int, typer.Option("--seed", help="With --mock: seed of generated data.")] = 0,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse specs with any error validate reports, and unreachable operations.",
        ),
    ] = False,
    root: Annotated[
        Path, typer.Option("--root", help="Project root ([tool.specfirst.validation]).")
    ] = Path("."),
) -> None:
    """Serve any spec at once: requests are validated, then answered with 501.

    Examples:

      specfirst serve specs/orders.yaml

      specfirst serve ~/Downloads/petstore.json --port 9000

      specfirst serve specs/orders.yaml --mock --stateful --seed 7

      specfirst serve api.yaml --strict   # refuse what validate reports as errors
    """
    if not spec.is_file():
        raise UserError(f"{spec}: no such file")
    policy = validation_policy(root)
    with tempfile.TemporaryDirectory(prefix="specfirst-serve-") as tmp:
        package = "specfirst_served_api"
        with paused_collector():
            app = _application(
                spec,
                Path(tmp),
                package,
                host=host,
                strict=strict,
                mock=mock,
                seed=seed,
                stateful=stateful,
                policy=policy,
            )
        if mock:
            kind = "stateful mock" if stateful else "mock"
            typer.echo(
                f"Serving a {kind} of {spec} at http://{host}:{port}/ (seed {seed}). Ctrl+C stops."
            )
        else:
            typer.echo(
                f"Serving {spec} at http://{host}:{port}/ "
                "(requests are validated; every operation answers 501). Ctrl+C stops."
            )
        importlib.import_module("servicekit.contract.serve").run(app, host, port)


def _application(
    spec: Path,
    parent: Path,
    package: str,
    *,
    host: str,
    strict: bool,
    mock: bool,
    seed: int,
    stateful: bool,
    policy: QueryPolicy,
) -> Any:
    """Generate ``spec`` into ``parent/package`` and return its ASGI application:
    the 501 stubs, or the mock (see docs/mock.md)."""
    generate_package(spec, parent / package, strict=strict)
    if mock:
        engine = engine_for_spec(spec.as_posix(), seed=seed, stateful=stateful)
        mockserver = importlib.import_module("codegen.cli.mockserver.serve")
        return mockserver.mock_application(parent, package, host, engine, policy)
    served = importlib.import_module("servicekit.contract.serve")
    return served.application(parent, package, host, policy)


def generate_package(spec: Path, directory: Path, *, strict: bool) -> None:
    """Write ``spec``'s package to ``directory``, printing the findings (exit 1
    on a blocking one). The examples go unchecked: SF121 is a warning that
    changes nothing served, and checking GitHub's 5,000 examples delayed its
    first answer by a second (``specfirst validate`` reports them)."""
    result = plan(
        [Target(spec, directory, app=True)],
        strict=strict,
        formatted=False,
        examples=False,
        concurrently=True,
    )
    if result.diagnostics:
        typer.echo(render_text(result.diagnostics), err=True)
    if result.failed:
        typer.echo(f"cannot serve {spec}: blocking errors", err=True)
        raise typer.Exit(1)
    for fileset in result.filesets:
        fileset.write()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
