"""The gateway's commands: ``specfirst merge``, ``specfirst routes``, ``specfirst gateway``.

All three compose every spec in the specs folder first and print the
composition's diagnostics; errors stop them with exit code 1.

Examples::

    specfirst merge --out build/openapi.yaml
    specfirst routes --format json
    specfirst gateway --port 8000 --workers 2
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from codegen.core.diagnostics import Severity, render_text
from codegen.core.errors import UserError
from codegen.core.project import SPECS_OPTION_HELP
from codegen.core.running import read_running
from gateway.compose import Composition
from gateway.compose.load import compose_specs
from gateway.config import GatewayConfig, load_config
from gateway.mocks import mock_upstreams
from gateway.output import dump_document
from gateway.server import serve
from gateway.table import RoutingTable

Root = Annotated[
    Path, typer.Option("--root", help="Project root (holds pyproject.toml or specfirst.toml).")
]
Specs = Annotated[
    Path | None,
    typer.Option("--specs", help=SPECS_OPTION_HELP),
]


def compose_project(root: Path, specs: Path | None) -> tuple[GatewayConfig, Composition]:
    """Configuration and composition of every spec; composition errors -> exit 1."""
    config = load_config(root, specs)
    composition = compose_specs(config)
    if composition.diagnostics:
        sys.stderr.write(render_text(composition.diagnostics) + "\n")
    if composition.document is None or any(
        d.severity is Severity.ERROR for d in composition.diagnostics
    ):
        raise UserError("the specs do not compose (see the errors above)", exit_code=1)
    return config, composition


def merge(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write here (.json, or .yaml/.yml); default: JSON on stdout."
        ),
    ] = None,
    root: Root = Path("."),
    specs: Specs = None,
) -> None:
    """Compose every spec into one OpenAPI 3.1 document.

    Example: specfirst merge --out build/openapi.yaml
    """
    _, composition = compose_project(root, specs)
    assert composition.document is not None
    if out is None:
        sys.stdout.write(dump_document(composition.document, "json"))
        return
    fmt = "yaml" if out.suffix in (".yaml", ".yml") else "json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump_document(composition.document, fmt), encoding="utf-8")
    sys.stderr.write(f"wrote {out}\n")


def routes(
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    root: Root = Path("."),
    specs: Specs = None,
) -> None:
    """Print the gateway's routing table.

    While `specfirst up` runs from the same root, the upstreams are the ones
    it started (its ports); otherwise they are the configured ones, and the
    output says which. In JSON each row's "upstream_source" is "running" or
    "configured".

    Example: specfirst routes --format json
    """
    if fmt not in ("text", "json"):
        raise UserError(f"--format must be 'text' or 'json', got {fmt!r}")
    config, composition = compose_project(root, specs)
    table = RoutingTable.build(composition, config)
    running = read_running(root)
    if running is not None:
        table = table.with_upstreams(running.upstreams)
        note = f"upstreams: the running system's (specfirst up, pid {running.pid})"
    else:
        note = "upstreams: as configured (no running `specfirst up` under this root)"
    if fmt == "json":
        source = "running" if running is not None else "configured"
        rows = [{**row, "upstream_source": source} for row in table.rows()]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        sys.stdout.write(table.render_text() + "\n" + note + "\n")


def gateway(
    *,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log each request.")
    ] = True,
    root: Root = Path("."),
    specs: Specs = None,
) -> None:
    """Run the API gateway in front of every service.

    Example: specfirst gateway --port 8000 --workers 2
    """
    config, _ = compose_project(root, specs)
    with mock_upstreams(config):
        serve(root=root, specs=specs, host=host, port=port, workers=workers, access_log=access_log)


def register(app: typer.Typer) -> None:
    app.command("merge")(merge)
    app.command("routes")(routes)
    app.command("gateway")(gateway)
