"""Diagnostics: what every check in specfirst reports, and how it is printed.

Parsing, validation, linting and composition never stop at the first problem:
they collect :class:`Diagnostic` objects, and the command line decides from the
worst severity whether to write output and which exit code to return.

A diagnostic always says where it is, as ``file:line:column`` plus the JSON
pointer inside that file, e.g.::

    specs/orders.yaml:42:7 #/paths/~1orders/post/requestBody: error SF102: ...
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` over severities gives the worst one."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in a spec file: the file as the user named it, 1-based line and
    column, and the JSON pointer (``""`` is the document root)."""

    file: str
    line: int
    column: int
    pointer: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column} #{self.pointer}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. ``code`` is stable (``SF`` + number) and documented in
    docs/diagnostics.md; ``hint`` says what to do about it."""

    code: str
    severity: Severity
    message: str
    location: SourceLocation
    hint: str | None = None

    def format(self) -> str:
        text = f"{self.location}: {self.severity} {self.code}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def worst(diagnostics: Iterable[Diagnostic]) -> Severity | None:
    """The most severe level among ``diagnostics``, or ``None`` when empty."""
    return max((d.severity for d in diagnostics), default=None)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return worst(diagnostics) is Severity.ERROR


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str, str]:
    loc = diagnostic.location
    return (loc.file, loc.line, loc.column, loc.pointer, diagnostic.code)


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Human-readable report: one line per finding, then a summary line."""
    ordered = sorted(diagnostics, key=sort_key)
    lines = [d.format() for d in ordered]
    errors = sum(1 for d in ordered if d.severity is Severity.ERROR)
    warnings = sum(1 for d in ordered if d.severity is Severity.WARNING)
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """Machine-readable report, stable ordering, for ``--format json``."""
    ordered = sorted(diagnostics, key=sort_key)
    return json.dumps([d.to_json() for d in ordered], indent=2, sort_keys=True)
