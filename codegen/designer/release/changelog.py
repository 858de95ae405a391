"""Render a release's CHANGELOG.md section and write it, with the new version.

A section is the version and date, then the changes grouped by kind, each
linking to the place in the spec where it takes effect (the spec file is the
changelog's neighbour, :mod:`codegen.core.changelog`)::

    ## 2.0.0 (2026-12-03)

    ### Breaking changes
    - [GET /products](catalog.yaml#L183): query parameter 'sort' removed (SF412)

    ### Added
    - [POST /labels](catalog.yaml#L390): operation added (SF403)

Documentation-only edits (SF490) are counted, not listed. ``info.version`` is
rewritten on its own line, so the rest of the spec keeps its formatting.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from codegen.core.changelog import TITLE, changelog_path
from codegen.core.errors import UserError
from codegen.core.files import atomic_write
from codegen.core.spec.loader import load_spec
from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.model import Change
from codegen.designer.release.plan import ADDITIONS, ReleasePlan
from codegen.designer.release.semver import Version


def _section(change: Change) -> str:
    if change.level is Level.BREAKING:
        return "Breaking changes"
    if change.level is Level.POTENTIALLY_BREAKING:
        return "Potentially breaking changes"
    return "Added" if change.check in ADDITIONS else "Changed"


SECTIONS = ("Breaking changes", "Potentially breaking changes", "Added", "Changed")
DOCUMENTATION = "SF490"
_OPERATION = re.compile(r"^((?:GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) \S+?)(:? .*)?$")


def _entry(change: Change, spec_name: str) -> str:
    """``- [GET /products](catalog.yaml#L183): query parameter 'sort' removed (SF412)``."""
    where = change.new if change.new is not None else change.old
    line = f"#L{where.line}" if where is not None and change.new is not None else ""
    found = _OPERATION.match(change.message)
    if found is None:  # a path or a whole spec
        return f"- [{change.message}]({spec_name}{line}) ({change.check})"
    operation, rest = found.groups()
    return f"- [{operation}]({spec_name}{line}){rest or ''} ({change.check})"


def render_section(plan: ReleasePlan, today: dt.date) -> str:
    spec_name = plan.spec.name
    lines = [f"## {plan.next} ({today.isoformat()})", ""]
    if plan.base_ref is None:
        lines += ["Initial release.", ""]
        return "\n".join(lines)
    listed = [c for c in plan.changes if c.check != DOCUMENTATION]
    for heading in SECTIONS:
        chosen = [c for c in listed if _section(c) == heading]
        if chosen:
            lines += [f"### {heading}", ""]
            lines += list(dict.fromkeys(_entry(c, spec_name) for c in chosen))
            lines.append("")
    docs = sum(1 for c in plan.changes if c.check == DOCUMENTATION)
    if docs:
        lines += [f"Documentation: {docs} description or summary edit(s).", ""]
    if len(lines) == 2:
        lines += ["No API changes.", ""]
    return "\n".join(lines)


def add_section(changelog: Path, section: str, version: Version) -> bool:
    """Insert ``section`` at the top (below the title); False when the changelog
    already has a section for ``version`` (a release is written once)."""
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else f"{TITLE}\n"
    if re.search(rf"^## {re.escape(str(version))} ", text, re.MULTILINE):
        return False
    head, sep, rest = text.partition("\n## ")
    body = f"{head.rstrip()}\n\n{section}"
    atomic_write(changelog, body + (f"\n## {rest}" if sep else ""))
    return True


def set_version(spec: Path, version: Version) -> bool:
    """Rewrite ``info.version`` in place; False when it already is ``version``."""
    loaded, _ = load_spec(spec)
    if loaded is None:
        raise UserError(f"{spec}: cannot be loaded")
    old = str(loaded.root.data["info"]["version"])
    if old == str(version):
        return False
    line, _, matched = loaded.root.source_map.position(["info", "version"])
    lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    if matched != 2 or line > len(lines) or old not in lines[line - 1]:
        raise UserError(f"{spec}: cannot find info.version to rewrite; set it to {version}")
    at = lines[line - 1].rindex(old)
    lines[line - 1] = lines[line - 1][:at] + str(version) + lines[line - 1][at + len(old) :]
    atomic_write(spec, "".join(lines))
    return True


def write_release(plan: ReleasePlan, today: dt.date) -> tuple[bool, bool]:
    """(spec version changed, changelog section added)."""
    bumped = set_version(plan.spec, plan.next)
    added = add_section(changelog_path(plan.spec), render_section(plan, today), plan.next)
    return bumped, added
