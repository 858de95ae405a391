"""Coverage settings of ``[tool.specfirst.test]``: thresholds and uncoverable items.

::

    [tool.specfirst.test]
    min_coverage = 90                       # every kind of every target; or per kind:
    [tool.specfirst.test.min_coverage]
    operations = 100
    statuses = 100
    [tool.specfirst.test.min_coverage.gateway]   # one target (a service, or the gateway)
    operations = 60

    [tool.specfirst.test.uncoverable]       # item id -> why no client can provoke it
    "POST /orders status 503" = "needs catalog down"

    [tool.specfirst.test.services.orders.uncoverable]   # the same, for one service
    "POST /orders status 502" = "needs catalog to answer garbage"

``--min-coverage [TARGET:][KIND=]N`` adds the same rules from the command line. For
each target and kind the most specific rule wins (target and kind, then target, then
kind, then all); between equally specific rules the command line wins.

An uncoverable item is shown as excluded (with its reason) and left out of the
percentages; an entry that names no item of a tested operation is an error, so a
renamed status or operation cannot leave a stale exclusion behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.core.errors import UserError
from codegen.verify.coverage.kinds import Kind

WHERE = "[tool.specfirst.test]"


@dataclass(frozen=True, slots=True)
class Threshold:
    """``percent`` for ``kind`` (every kind when None) of ``target`` (every target when
    None); ``origin`` 0 is the configuration, 1 the command line."""

    target: str | None
    kind: Kind | None
    percent: float
    origin: int = 0

    @property
    def rank(self) -> tuple[int, int, int]:
        return (self.target is not None, self.kind is not None, self.origin)


def thresholds_for(target: str, rules: Iterable[Threshold]) -> dict[Kind, float]:
    """The minimum per kind for ``target``: the most specific matching rule wins."""
    found: dict[Kind, Threshold] = {}
    for rule in rules:
        if rule.target not in (None, target):
            continue
        for kind in [rule.kind] if rule.kind is not None else list(Kind):
            if kind not in found or rule.rank >= found[kind].rank:
                found[kind] = rule
    return {kind: rule.percent for kind, rule in found.items()}


def parse_option(text: str) -> Threshold:
    """``--min-coverage`` values: ``90``, ``statuses=100``, ``gateway:operations=60``,
    ``gateway:50``."""
    target, _, rest = text.rpartition(":")
    kind, _, value = rest.rpartition("=")
    where = f"--min-coverage {text}"
    if kind and kind not in set(Kind):
        raise UserError(f"{where}: unknown kind {kind!r}; kinds: {', '.join(Kind)}")
    try:
        number = float(value)
    except ValueError:
        raise UserError(f"{where}: expected [TARGET:][KIND=]PERCENT, e.g. statuses=100") from None
    return Threshold(target or None, Kind(kind) if kind else None, _percent(number, where), 1)


@dataclass(frozen=True, slots=True)
class CoverageSettings:
    min_coverage: tuple[Threshold, ...] = ()
    uncoverable: Mapping[str, str] = field(default_factory=dict)  # item id -> reason
    services: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def exclusions(self, services: Iterable[str]) -> dict[str, str]:
        """Item id -> reason for a target that tests ``services``."""
        found = dict(self.uncoverable)
        for name in services:
            found.update(self.services.get(name, {}))
        return found


def parse_thresholds(raw: Any, where: str, target: str | None = None) -> list[Threshold]:
    """``90`` -> every kind at 90; ``{"statuses": 100}`` -> that kind; a table under a
    name that is not a kind is that target's (``{"gateway": {"operations": 60}}``)."""
    if not isinstance(raw, dict):
        return [Threshold(target, None, _percent(raw, where))]
    rules: list[Threshold] = []
    for key, value in raw.items():
        if key in set(Kind):
            rules.append(Threshold(target, Kind(key), _percent(value, f"{where}.{key}")))
        elif isinstance(value, dict | int | float) and target is None:
            rules.extend(parse_thresholds(value, f"{where}.{key}", key))
        else:
            kinds = ", ".join(Kind)
            raise UserError(f"{where}: unknown kind {key!r}; kinds: {kinds} (or a target table)")
    return rules


def _percent(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise UserError(f"{where} must be a percentage from 0 to 100, got {value!r}")
    return float(value)


def _reasons(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(value, str) and value.strip() for value in raw.values()
    ):
        raise UserError(f'{where} must map item ids to reasons: "GET /x status 503" = "why"')
    return dict(raw)


def coverage_settings(raw: Mapping[str, Any]) -> CoverageSettings:
    """The coverage part of the ``test`` table ``raw``."""
    thresholds = raw.get("min_coverage")
    services: dict[str, dict[str, str]] = {}
    for name, entry in (raw.get("services") or {}).items():
        if isinstance(entry, dict) and "uncoverable" in entry:
            services[name] = _reasons(entry["uncoverable"], f"{WHERE}.services.{name}.uncoverable")
    return CoverageSettings(
        min_coverage=()
        if thresholds is None
        else tuple(parse_thresholds(thresholds, f"{WHERE}.min_coverage")),
        uncoverable=_reasons(raw.get("uncoverable", {}), f"{WHERE}.uncoverable"),
        services=services,
    )
