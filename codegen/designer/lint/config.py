"""Lint configuration from ``[tool.specfirst.lint]`` in ``pyproject.toml``.

Rules are named by id or name; every key is checked, so a typo is an error
rather than a silently ignored setting::

    [tool.specfirst.lint]
    disable = ["SF304"]                   # turn rules off
    enable = ["description-missing"]      # turn opt-in rules on

    [tool.specfirst.lint.severity]        # re-grade (this also enables the rule)
    SF305 = "error"                       # error | warning | info | off

Example: the table above gives ``severity_of("SF304") is None`` and
``severity_of("SF305") is Severity.ERROR``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.core.diagnostics import Severity
from codegen.core.errors import UserError
from codegen.designer.lint.catalogue import RULES, Rule, find_rule

LEVELS: dict[str, Severity | None] = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.INFO,
    "off": None,
}
KNOWN_KEYS = frozenset({"enable", "disable", "severity"})


@dataclass(frozen=True, slots=True)
class LintConfig:
    """The effective severity of each rule; ``None`` means the rule is off."""

    severities: Mapping[str, Severity | None] = field(
        default_factory=lambda: {r.id: (r.severity if r.enabled else None) for r in RULES}
    )
    source: str = "defaults"

    def severity_of(self, rule_id: str) -> Severity | None:
        return self.severities.get(rule_id)

    @property
    def active(self) -> set[str]:
        return {rule_id for rule_id, level in self.severities.items() if level is not None}


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or a parent directory."""
    for directory in (start.resolve(), *start.resolve().parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(pyproject: Path | None) -> LintConfig:
    """Read ``[tool.specfirst.lint]`` (defaults when the file or table is absent)."""
    if pyproject is None:
        return LintConfig()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"cannot read lint configuration from {pyproject}: {exc}") from None
    table = data.get("tool", {}).get("specfirst", {}).get("lint", {})
    return parse_config(table, f"{pyproject} [tool.specfirst.lint]")


def parse_config(table: Any, source: str) -> LintConfig:
    """Validate a ``[tool.specfirst.lint]`` table and compute every rule's severity."""
    if not isinstance(table, dict):
        raise UserError(f"{source}: expected a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise UserError(
            f"{source}: unknown key(s) {', '.join(unknown)}; "
            f"expected {', '.join(sorted(KNOWN_KEYS))}"
        )
    severities = {r.id: (r.severity if r.enabled else None) for r in RULES}
    for rule in _rules(table.get("enable", []), source, "enable"):
        severities[rule.id] = rule.severity
    disabled = set()
    for rule in _rules(table.get("disable", []), source, "disable"):
        severities[rule.id] = None
        disabled.add(rule.id)
    regrades = table.get("severity", {})
    if not isinstance(regrades, dict):
        raise UserError(f"{source}: 'severity' must be a table of rule = level")
    for key, level in regrades.items():
        rule = _rule(key, source, "severity")
        if not isinstance(level, str) or level.lower() not in LEVELS:
            raise UserError(
                f"{source}: severity of {key} is {level!r}; expected one of {', '.join(LEVELS)}"
            )
        if rule.id in disabled:
            raise UserError(f"{source}: {key} is both disabled and re-graded; choose one")
        severities[rule.id] = LEVELS[level.lower()]
    return LintConfig(severities, source)


def _rules(value: Any, source: str, key: str) -> list[Rule]:
    if not isinstance(value, list):
        raise UserError(f"{source}: '{key}' must be a list of rule ids or names")
    return [_rule(item, source, key) for item in value]


def _rule(key: Any, source: str, where: str) -> Rule:
    rule = find_rule(key) if isinstance(key, str) else None
    if rule is None:
        raise UserError(
            f"{source}: {where} names unknown rule {key!r}; rules are SF301-SF{RULES[-1].id[2:]} "
            "(see docs/lint.md)"
        )
    return rule
