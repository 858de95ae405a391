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

from codegen.core.project import SPECS_OPTION_HELP
from gateway import commands as gateway_commands
from gateway.compose import Composition
from gateway.config import GatewayConfig
from gateway.export.k8s.layout import render_layout, write_layout
from gateway.export.k8s.names import K8sOptions
from gateway.export.nginx import NginxOptions, render_nginx
from gateway.table import RoutingTable

export_app = typer.Typer(
    name="export",
    help="Export the routing table and the system to nginx or Kubernetes.",
    no_args_is_help=True,
)

ROOT = typer.Option(
    Path("."), "--root", help="Project root (holds pyproject.toml or specfirst.toml)."
)
SPECS = typer.Option(None, "--specs", help=SPECS_OPTION_HELP)


def compose_project(
    root: Path, specs: Path | None
) -> tuple[GatewayConfig, Composition, RoutingTable]:
    """Configuration, composition and routing table; composition errors -> exit 1."""
    config, composition = gateway_commands.compose_project(root, specs)
    return config, composition, RoutingTable.build(composition, config)


OUT_FILE = typer.Option(..., "--out", "-o", help="The nginx.conf to write.")
LISTEN = typer.Option("8080", "--listen", help="nginx 'listen' value, e.g. 0.0.0.0:8080.")
SERVER_NAME = typer.Option("_", "--server-name", help="nginx 'server_name' value.")
NGINX_WORKERS = typer.Option("auto", "--workers", help="nginx worker_processes.")
KEEPALIVE = typer.Option(32, "--keepalive", min=1, help="Idle upstream connections per worker.")
TEMP_DIR = typer.Option(None, "--temp-dir", help="Directory for nginx temp files.")


@export_app.command("nginx")
def nginx(
    *,
    out: Path = OUT_FILE,
    listen: str = LISTEN,
    server_name: str = SERVER_NAME,
    workers: str = NGINX_WORKERS,
    keepalive: int = KEEPALIVE,
    temp_dir: str | None = TEMP_DIR,
    root: Path = ROOT,
    specs: Path | None = SPECS,
) -> None:
    """Compile the routing table to an nginx configuration.

    Upstream URLs come from the configuration or SPECFIRST_UPSTREAM_<NAME>.

    Example: specfirst export nginx --out deploy/nginx.conf --listen 0.0.0.0:8080
    """
    config, _, table = compose_project(root, specs)
    options = NginxOptions(listen, server_name, workers, keepalive, temp_dir)
    text = render_nginx(table, config, options)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    sys.stderr.write(f"wrote {out} ({len(table.routes)} operations)\n")


OUT_DIR = typer.Option(..., "--out", "-o", help="Folder for base/ and overlays/.")
IMAGE = typer.Option("specfirst:latest", "--image", help="Container image of the repository.")
PARENT_GATEWAY = typer.Option(
    "specfirst-edge", "--gateway-name", help="The cluster Gateway the HTTPRoutes attach to."
)
HOSTNAMES = typer.Option([], "--hostname", help="Public hostname (repeatable).")
INGRESS_NAMESPACES = typer.Option(
    [],
    "--ingress-namespace",
    help="Namespace whose pods may reach the services directly, past their NetworkPolicies "
    "(the ingress controller's, when it follows the HTTPRoutes; repeatable).",
)


@export_app.command("k8s")
def k8s(
    *,
    out: Path = OUT_DIR,
    image: str = IMAGE,
    gateway_name: str = PARENT_GATEWAY,
    hostname: list[str] = HOSTNAMES,
    ingress_namespace: list[str] = INGRESS_NAMESPACES,
    root: Path = ROOT,
    specs: Path | None = SPECS,
) -> None:
    """Write Kubernetes manifests: a Kustomize base and an example overlay.

    Each service gets a NetworkPolicy: only the gateway, the services that list it in
    `clients`, and pods of each --ingress-namespace reach it.

    Secrets are referenced, never written: see docs/deploy.md for the ones to create.

    Example: specfirst export k8s --out deploy/k8s --image registry.example.com/shop/specfirst:1.0
    """
    config, composition, table = compose_project(root, specs)
    assert composition.document is not None
    options = K8sOptions(
        image=image,
        gateway_name=gateway_name,
        hostnames=tuple(hostname),
        ingress_namespaces=tuple(ingress_namespace),
    )
    clients = {name: service.clients for name, service in config.services.items()}
    files = render_layout(table, composition.document, options, clients)
    write_layout(out, files)
    sys.stderr.write(f"wrote {len(files)} files under {out}\n")


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
