"""``[tool.specfirst.test]``: the contract-test settings of a project.

Read from ``pyproject.toml`` (or ``specfirst.toml`` without the
``tool.specfirst`` prefix) at the project root::

    [tool.specfirst.test]
    max_examples = 25            # per operation and phase
    time_budget = 120            # seconds per target (service or gateway)
    services_dir = "services"
    [tool.specfirst.test.services.orders]
    requires = ["catalog", "customers"]   # started first; URL passed as CATALOG_URL, ...
    [tool.specfirst.test.schemathesis]    # merged into schemathesis' own configuration
    checks.missing_required_header.expected-statuses = [400, 428]

Contract coverage's ``min_coverage`` and ``uncoverable`` keys are read by
:mod:`codegen.verify.coverage.settings`.

The ``schemathesis`` table uses schemathesis.toml's keys exactly, so every
documented schemathesis option works; each entry should say why in a comment.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.core.errors import UserError
from codegen.verify.coverage.settings import CoverageSettings, coverage_settings

DEFAULT_MAX_EXAMPLES = 25
DEFAULT_TIME_BUDGET = 120.0


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """Per-service options: the services it calls (started before it)."""

    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TestSettings:
    root: Path
    services_dir: Path
    specs_dir: Path
    max_examples: int = DEFAULT_MAX_EXAMPLES
    time_budget: float = DEFAULT_TIME_BUDGET
    services: Mapping[str, ServiceSettings] = field(default_factory=dict)
    schemathesis: Mapping[str, Any] = field(default_factory=dict)
    coverage: CoverageSettings = field(default_factory=CoverageSettings)

    def service(self, name: str) -> ServiceSettings:
        return self.services.get(name, ServiceSettings())


def _read_table(root: Path) -> dict[str, Any]:
    """The specfirst table holding a ``test`` section: ``specfirst.toml`` first, then the
    ``[tool.specfirst]`` table of pyproject.toml (the first one that has a ``test`` key)."""
    for name, keys in (("specfirst.toml", ()), ("pyproject.toml", ("tool", "specfirst"))):
        path = root / name
        if not path.is_file():
            continue
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{path}: {exc}") from None
        for key in keys:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if isinstance(data, dict) and "test" in data:
            return dict(data)
    return {}


def _positive(raw: Mapping[str, Any], key: str, default: float, where: str) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise UserError(f"{where}.{key} must be a positive number, got {value!r}")
    return float(value)


def load_settings(root: Path, specs_dir: Path | None = None) -> TestSettings:
    """Settings for the project at ``root``; every key has a default."""
    where = "[tool.specfirst.test]"
    table = _read_table(root)
    raw = table.get("test", {})
    if not isinstance(raw, dict):
        raise UserError(f"{where} must be a table")
    services: dict[str, ServiceSettings] = {}
    for name, entry in (raw.get("services") or {}).items():
        requires = entry.get("requires", []) if isinstance(entry, dict) else None
        if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
            raise UserError(f"{where}.services.{name}.requires must be a list of service names")
        services[name] = ServiceSettings(requires=tuple(requires))
    extra = raw.get("schemathesis", {})
    if not isinstance(extra, dict):
        raise UserError(f"{where}.schemathesis must be a table")
    specs = specs_dir or root / str(table.get("specs", "specs"))
    return TestSettings(
        root=root,
        services_dir=root / str(raw.get("services_dir", "services")),
        specs_dir=specs,
        max_examples=int(_positive(raw, "max_examples", DEFAULT_MAX_EXAMPLES, where)),
        time_budget=_positive(raw, "time_budget", DEFAULT_TIME_BUDGET, where),
        services=services,
        schemathesis=extra,
        coverage=coverage_settings(raw),
    )
