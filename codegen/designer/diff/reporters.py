"""Diff reporters: text (terminal), JSON (machines) and Markdown (a PR comment).

Each takes the changes (already sorted, breaking first) and returns a string.

Example (text)::

    breaking SF456 response-property-removed: GET /orders/{id} response 200
      (application/json) total: required property removed   [one line]
      old: specs/v1.yaml:40:9 #/components/schemas/Order/properties/total
      new: specs/v2.yaml:35:7 #/components/schemas/Order/properties
    1 breaking, 0 potentially breaking, 0 non-breaking
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from codegen.core.diagnostics import SourceLocation
from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.model import Change

HEADINGS = {
    Level.BREAKING: "Breaking changes",
    Level.POTENTIALLY_BREAKING: "Potentially breaking changes",
    Level.NON_BREAKING: "Non-breaking changes",
}


def summary(changes: Sequence[Change]) -> str:
    counts = {level: sum(1 for c in changes if c.level is level) for level in Level}
    return (
        f"{counts[Level.BREAKING]} breaking, {counts[Level.POTENTIALLY_BREAKING]} potentially "
        f"breaking, {counts[Level.NON_BREAKING]} non-breaking"
    )


def _where(location: SourceLocation | None) -> str:
    return str(location) if location is not None else "-"


def render_text(changes: Sequence[Change]) -> str:
    lines = []
    for change in changes:
        lines.append(f"{change.level} {change.check} {change.name}: {change.message}")
        lines.append(f"  old: {_where(change.old)}")
        lines.append(f"  new: {_where(change.new)}")
    lines.append(summary(changes) if changes else "no changes")
    return "\n".join(lines)


def render_json(changes: Sequence[Change]) -> str:
    counts = {str(level): sum(1 for c in changes if c.level is level) for level in Level}
    return json.dumps(
        {"summary": counts, "changes": [c.to_json() for c in changes]}, indent=2, sort_keys=True
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_location(location: SourceLocation | None) -> str:
    if location is None:
        return "-"
    return f"`{location.file}:{location.line}` `#{location.pointer}`"


def render_markdown(changes: Sequence[Change]) -> str:
    """A pull request comment: a summary line, then one table per level."""
    lines = ["## API changes", "", f"**{summary(changes)}**" if changes else "No API changes."]
    for level in sorted(Level, reverse=True):
        selected = [c for c in changes if c.level is level]
        if not selected:
            continue
        lines += ["", f"### {HEADINGS[level]} ({len(selected)})", ""]
        lines += ["| check | change | old | new |", "|---|---|---|---|"]
        for c in selected:
            lines.append(
                f"| {c.check} {c.name} | {_cell(c.message)} | {_cell(_md_location(c.old))} "
                f"| {_cell(_md_location(c.new))} |"
            )
    return "\n".join(lines)


REPORTERS: dict[str, Callable[[Sequence[Change]], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
