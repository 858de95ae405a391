"""``specfirst export``: hand the system to nginx or Kubernetes.

Both commands compose every spec first (composition errors stop them with
exit code 1, as ``specfirst merge`` does) and write deterministic output.

Examples::

    specfirst export nginx --out deploy/nginx.conf --listen 0.0.0.0:8080
    specfirst export k8s --out deploy/k8s --image-registry registry.example.com/shop
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from codegen.console import UserError
from codegen.diagnostics import Severity, render_text
from gateway.compose import Composition
from gateway.compose.load import compose_specs
from gateway.config import GatewayConfig, load_config
from gateway.table import RoutingTable

export_app = typer.Typer(
    name="export",
    help="Export the routing table and the system to nginx or Kubernetes.",
    no_args_is_help=True,
)

ROOT = typer.Option(
    Path("."), "--root", help="Project root (holds pyproject.toml or specfirst.toml)."
)
SPECS = typer.Option(
    None, "--specs", help="Specs folder (default: [tool.specfirst] specs, or specs/)."
)


def compose_project(
    root: Path, specs: Path | None
) -> tuple[GatewayConfig, Composition, RoutingTable]:
    """Configuration, composition and routing table; composition errors → exit 1."""
    config = load_config(root, specs)
    composition = compose_specs(config)
    if composition.diagnostics:
        sys.stderr.write(render_text(composition.diagnostics) + "\n")
    if composition.document is None or any(
        d.severity is Severity.ERROR for d in composition.diagnostics
    ):
        raise UserError("the specs do not compose (see the errors above)", exit_code=1)
    return config, composition, RoutingTable.build(composition, config)


@export_app.command("nginx")
def nginx(
    out: Path = typer.Option(..., "--out", "-o", help="The nginx.conf to write."),
    listen: str = typer.Option("8080", "--listen", help="nginx 'listen' value, e.g. 0.0.0.0:8080."),
    server_name: str = typer.Option("_", "--server-name", help="nginx 'server_name' value."),
    workers: str = typer.Option("auto", "--workers", help="nginx worker_processes."),
    keepalive: int = typer.Option(
        32, "--keepalive", min=1, help="Idle upstream connections kept per worker."
    ),
    temp_dir: str | None = typer.Option(None, "--temp-dir", help="Directory for nginx temp files."),
    root: Path = ROOT,
    specs: Path | None = SPECS,
) -> None:
    """Compile the routing table to an nginx configuration.

    Upstream URLs come from the configuration or SPECFIRST_UPSTREAM_<NAME>.

    Example: specfirst export nginx --out deploy/nginx.conf --listen 0.0.0.0:8080
    """
    from gateway.export.nginx import NginxOptions, render_nginx

    config, _, table = compose_project(root, specs)
    options = NginxOptions(listen, server_name, workers, keepalive, temp_dir)
    text = render_nginx(table, config, options)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    sys.stderr.write(f"wrote {out} ({len(table.routes)} operations)\n")


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
