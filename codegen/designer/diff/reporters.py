"""Diff reporters: text (terminal), JSON (machines) and Markdown (a PR comment).

Each takes the changes (already sorted, breaking first) and, with ``--usage``,
the live traffic of each (:mod:`codegen.designer.diff.traffic`; None where a
change is not judged), and returns a string. With traffic, Markdown splits the
breaking and potentially breaking changes into those with traffic and those
without.

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
from codegen.designer.diff.traffic import Traffic, days_text

Traffics = Sequence[Traffic | None] | None

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


def _traffic(traffic: Traffics, index: int) -> Traffic | None:
    return traffic[index] if traffic is not None else None


def render_text(changes: Sequence[Change], traffic: Traffics = None) -> str:
    lines = []
    for index, change in enumerate(changes):
        lines.append(f"{change.level} {change.check} {change.name}: {change.message}")
        lines.append(f"  old: {_where(change.old)}")
        lines.append(f"  new: {_where(change.new)}")
        found = _traffic(traffic, index)
        if found is not None:
            lines.append(f"  traffic: {found.text()}")
    lines.append(summary(changes) if changes else "no changes")
    return "\n".join(lines)


def _traffic_json(found: Traffic) -> dict[str, object]:
    return {
        "verdict": str(found.verdict),
        "requests": found.requests,
        "clients": found.clients,
        "days": found.days,
        "text": found.text(),
    }


def render_json(changes: Sequence[Change], traffic: Traffics = None) -> str:
    counts = {str(level): sum(1 for c in changes if c.level is level) for level in Level}
    entries = []
    for index, change in enumerate(changes):
        entry = change.to_json()
        found = _traffic(traffic, index)
        if traffic is not None:
            entry["traffic"] = _traffic_json(found) if found is not None else None
        entries.append(entry)
    return json.dumps({"summary": counts, "changes": entries}, indent=2, sort_keys=True)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_location(location: SourceLocation | None) -> str:
    if location is None:
        return "-"
    return f"`{location.file}:{location.line}` `#{location.pointer}`"


def _md_groups(
    changes: Sequence[Change], traffic: Traffics
) -> list[tuple[str, list[tuple[Change, Traffic | None]]]]:
    """(heading, rows) per level; with traffic, the judged levels split in two."""
    groups: list[tuple[str, list[tuple[Change, Traffic | None]]]] = []
    rows = [(c, _traffic(traffic, i)) for i, c in enumerate(changes)]
    for level in sorted(Level, reverse=True):
        selected = [row for row in rows if row[0].level is level]
        if traffic is None or level is Level.NON_BREAKING:
            groups.append((HEADINGS[level], selected))
            continue
        used = [row for row in selected if row[1] is not None and row[1].blocks]
        unused = [row for row in selected if row not in used]
        days = next((t.days for _, t in selected if t is not None), 0)
        groups.append((f"{HEADINGS[level]} with live traffic", used))
        groups.append((f"{HEADINGS[level]} without traffic in {days_text(days)}", unused))
    return [(heading, group) for heading, group in groups if group]


def render_markdown(changes: Sequence[Change], traffic: Traffics = None) -> str:
    """A pull request comment: a summary line, then one table per level (with
    ``--usage``: per level and verdict, with a traffic column)."""
    lines = ["## API changes", "", f"**{summary(changes)}**" if changes else "No API changes."]
    for heading, rows in _md_groups(changes, traffic):
        lines += ["", f"### {heading} ({len(rows)})", ""]
        if traffic is None:
            lines += ["| check | change | old | new |", "|---|---|---|---|"]
        else:
            lines += ["| check | change | traffic | old | new |", "|---|---|---|---|---|"]
        for c, found in rows:
            usage = "" if traffic is None else f" {_cell(found.text() if found else '-')} |"
            lines.append(
                f"| {c.check} {c.name} | {_cell(c.message)} |{usage} "
                f"{_cell(_md_location(c.old))} | {_cell(_md_location(c.new))} |"
            )
    return "\n".join(lines)


REPORTERS: dict[str, Callable[[Sequence[Change], Traffics], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
