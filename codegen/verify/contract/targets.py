"""Which services exist, where their code and specs are, and in what order to start them.

A service is a directory ``<services_dir>/<name>/`` holding ``manage.py`` and
a ``<name>_site`` settings package, with its spec at ``<specs_dir>/<name>.yaml``
(``.yml`` and ``.json`` work too)::

    discover(settings) -> [ServiceTarget("catalog", services/catalog, specs/catalog.yaml), ...]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from codegen.core.errors import UserError
from codegen.core.project import service_spec
from codegen.verify.contract.config import TestSettings


@dataclass(frozen=True, slots=True)
class ServiceTarget:
    name: str
    directory: Path
    spec: Path
    requires: tuple[str, ...] = ()

    @property
    def settings_module(self) -> str:
        return f"{self.name}_site.settings"


def discover(settings: TestSettings) -> dict[str, ServiceTarget]:
    """Every service directory that has a spec, keyed by name (sorted)."""
    found: dict[str, ServiceTarget] = {}
    if not settings.services_dir.is_dir():
        return found
    for manage in sorted(settings.services_dir.glob("*/manage.py")):
        name = manage.parent.name
        spec = service_spec(settings.specs_dir, name)
        if spec is None or not (manage.parent / f"{name}_site").is_dir():
            continue
        found[name] = ServiceTarget(name, manage.parent, spec, settings.service(name).requires)
    return found


def select(known: Mapping[str, ServiceTarget], names: Sequence[str]) -> list[ServiceTarget]:
    """The named services (all when ``names`` is empty), each checked to exist."""
    if not known:
        raise UserError(
            "no services found (a service is services/<name>/manage.py + specs/<name>.yaml)"
        )
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UserError(f"unknown service(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[name] for name in (names or list(known))]


def start_order(known: Mapping[str, ServiceTarget], wanted: Iterable[str]) -> list[ServiceTarget]:
    """``wanted`` plus everything they require, dependencies first.

    ``orders`` requiring ``catalog`` and ``customers`` -> ``[catalog, customers, orders]``.
    """
    ordered: list[ServiceTarget] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if any(target.name == name for target in ordered):
            return
        if name in visiting:
            raise UserError(f"services require each other in a cycle: {' -> '.join(visiting)}")
        if name not in known:
            raise UserError(f"a service requires {name!r}, which does not exist")
        visiting.append(name)
        for dependency in known[name].requires:
            visit(dependency)
        visiting.pop()
        ordered.append(known[name])

    for name in wanted:
        visit(name)
    return ordered
