"""Coverage of one target: items hit, missed and excluded, counted per kind.

``TargetCoverage.count(Kind.STATUSES)`` -> ``Count(covered=41, total=42, excluded=1)``;
the percentage leaves excluded items out, and a kind with nothing to cover is
``None`` (shown as ``-``, never failing a threshold).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from codegen.core.errors import UserError
from codegen.verify.coverage.kinds import Kind
from codegen.verify.coverage.model import CoverageModel, Item


@dataclass(frozen=True, slots=True)
class Count:
    covered: int
    total: int  # excluded items are not in it
    excluded: int

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.covered / self.total


@dataclass(frozen=True, slots=True)
class Shortfall:
    target: str
    kind: Kind
    count: Count
    threshold: float

    def __str__(self) -> str:
        percent = self.count.percent or 0.0
        return (
            f"{self.target}: {self.kind.label} coverage {percent:.1f}% "
            f"({self.count.covered}/{self.count.total}) is below the minimum of "
            f"{self.threshold:g}%"
        )


@dataclass(slots=True)
class TargetCoverage:
    name: str
    items: list[Item]
    hits: set[str] = field(default_factory=set)
    excluded: Mapping[str, str] = field(default_factory=dict)  # item id -> reason

    def count(self, kind: Kind) -> Count:
        mine = [item for item in self.items if item.kind is kind]
        counted = [item for item in mine if item.id not in self.excluded]
        covered = sum(1 for item in counted if item.id in self.hits)
        return Count(covered, len(counted), len(mine) - len(counted))

    def uncovered(self) -> list[Item]:
        return [i for i in self.items if i.id not in self.hits and i.id not in self.excluded]

    def excluded_items(self) -> list[tuple[Item, str]]:
        return [(i, self.excluded[i.id]) for i in self.items if i.id in self.excluded]

    def excluded_but_covered(self) -> list[Item]:
        """Items listed as uncoverable that the run covered: the entry is out of date."""
        return [i for i in self.items if i.id in self.excluded and i.id in self.hits]

    def shortfalls(self, thresholds: Mapping[Kind, float]) -> list[Shortfall]:
        found: list[Shortfall] = []
        for kind, threshold in thresholds.items():
            count = self.count(kind)
            if count.percent is not None and count.percent < threshold:
                found.append(Shortfall(self.name, kind, count, threshold))
        return found


def coverage_of(
    model: CoverageModel, hits: Iterable[str], exclusions: Mapping[str, str]
) -> TargetCoverage:
    order = {kind: index for index, kind in enumerate(Kind)}
    items = sorted(model.items.values(), key=lambda i: (i.operation, order[i.kind], i.id))
    known = {item.id for item in items}
    return TargetCoverage(
        model.name,
        items,
        {hit for hit in hits if hit in known},
        {key: reason for key, reason in exclusions.items() if key in known},
    )


def check_exclusions(
    models: Iterable[CoverageModel], exclusions: Mapping[str, str], where: str
) -> None:
    """Every entry of the table ``where`` must name an item of one of ``models``: a typo,
    or an item the spec no longer has, is an error, not a silent no-op."""
    items = {key for model in models for key in model.items}
    stale = sorted(key for key in exclusions if key not in items)
    if stale:
        listed = "; ".join(f'"{key}"' for key in stale)
        raise UserError(
            f"{where}: {listed} names no coverage item "
            "(see the ids in --coverage-json or docs/coverage.md)"
        )
