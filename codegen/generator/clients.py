"""Typed client models a service uses to call others, planned from configuration.

A service lists the services it calls in its ``[tool.specfirst.services.<name>]``
table (the table the gateway reads for ``upstream``; ``specfirst.toml`` without
the ``tool.specfirst`` prefix wins over pyproject.toml, as for the gateway)::

    [tool.specfirst.services.orders]
    clients = ["catalog", "customers"]

``specfirst generate`` then owns ``services/orders/orders/clients/_generated/``:
one pydantic module per callee (``catalog.py`` from ``specs/catalog.yaml``,
by :func:`codegen.generator.clientgen.generate_client_models`, which uses
datamodel-code-generator and no Django) and an ``__init__.py`` marker.
``client_filesets(Path("."), Path("specs"), Path("services"))`` ->
``[FileSet(services/orders/orders/clients/_generated, {"__init__.py": ..., "catalog.py": ...,
"customers.py": ...})]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.core.errors import UserError
from codegen.core.project import read_specfirst_table, service_clients, service_spec
from codegen.generator.clientgen import generate_client_models
from codegen.generator.output import FileSet

MARKER = (
    "# Generated package marker; the modules here are written by codegen.generator.clientgen. "
    "Do not edit.\n"
)


@dataclass(frozen=True, slots=True)
class ClientPlan:
    """The services ``caller`` calls, each with the spec its models come from."""

    caller: str
    callees: tuple[tuple[str, Path], ...]  # (callee name, its spec)

    def directory(self, services: Path) -> Path:
        return services / self.caller / self.caller / "clients" / "_generated"


def read_services_table(root: Path) -> tuple[Mapping[str, Any], Path | None]:
    """``[tool.specfirst.services]`` (or ``[services]`` of specfirst.toml) and its file."""
    table, files = read_specfirst_table(root)
    path = files[0] if files else None
    services = table.get("services", {})
    if not isinstance(services, Mapping):
        raise UserError(f"{path}: [services] must be a table of services")
    return services, path


def _callee_spec(callee: str, specs: Path, where: str) -> Path:
    spec = service_spec(specs, callee)
    if spec is not None:
        return spec
    raise UserError(f"{where}: no spec {specs / callee}.yaml for client '{callee}'")


def client_plans(root: Path, specs: Path, services: Path) -> list[ClientPlan]:
    """Every configured caller whose service app exists, with its callees' specs.

    A caller whose app is absent is left out (its table may only configure the
    gateway); a callee without a spec in ``specs`` is a configuration error.
    """
    table, path = read_services_table(root)
    plans = []
    for caller in sorted(table):
        raw = table[caller]
        names = service_clients(caller, raw if isinstance(raw, Mapping) else {}, f"{path}: ")
        if not names or not (services / caller / caller).is_dir():
            continue
        where = f"{path}: services.{caller}.clients"
        if not all(name.isidentifier() for name in names):
            raise UserError(f"{where} must hold service names (Python identifiers), got {names!r}")
        callees = tuple((name, _callee_spec(name, specs, where)) for name in names)
        plans.append(ClientPlan(caller, callees))
    return plans


def client_filesets(root: Path, specs: Path, services: Path) -> list[FileSet]:
    """The complete ``clients/_generated`` package of every configured caller."""
    filesets = []
    for plan in client_plans(root, specs, services):
        directory = plan.directory(services)
        files = {"__init__.py": MARKER}
        for callee, spec in plan.callees:
            files[f"{callee}.py"] = generate_client_models(spec, directory / f"{callee}.py")
        filesets.append(FileSet(directory, files))
    return filesets
