"""One difference between a source spec and the schema derived from code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Difference:
    """``operation`` is ``"POST /orders"`` (or ``""`` for document-level findings);
    the pointers locate the two nodes (``None`` where a side lacks it)."""

    operation: str
    message: str
    source_pointer: str | None
    derived_pointer: str | None

    def render(self) -> str:
        where = f"{self.operation}: " if self.operation else ""
        return (
            f"{where}{self.message}\n"
            f"    spec:    {self.source_pointer or '(absent)'}\n"
            f"    derived: {self.derived_pointer or '(absent)'}"
        )
