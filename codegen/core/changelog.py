"""A service's CHANGELOG.md: where it lives, and how the SDK shows it.

Each service's changelog sits beside its spec, ``specs/<service>.CHANGELOG.md``,
so that the API designers who own the spec own its history, and links to
operations (``[GET /products](catalog.yaml#L183)``) are relative to the spec.
``specfirst release`` writes it (:mod:`codegen.designer.release`); the
generated SDK's README embeds it (:func:`for_readme`), where links into the
spec file would not resolve, so they become plain text and headings move one
level down under the README's own ``## Changelog``.

Example: ``changelog_path(Path("specs/catalog.yaml"))`` →
``Path("specs/catalog.CHANGELOG.md")``.
"""

from __future__ import annotations

import re
from pathlib import Path

SUFFIX = ".CHANGELOG.md"
TITLE = "# Changelog"
_SPEC_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\.(?:ya?ml|json)(?:#[^)\s]*)?\)")
_HEADING = re.compile(r"^(#{1,5}) ", re.MULTILINE)


def changelog_path(spec: Path) -> Path:
    return spec.with_name(spec.stem + SUFFIX)


def read_changelog(spec: Path) -> str | None:
    """The changelog of the spec at ``spec``, or None when it has none."""
    path = changelog_path(spec)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def for_readme(text: str) -> str:
    """The changelog without its title, links into spec files unlinked, and
    headings one level deeper (``## 2.0.0`` → ``### 2.0.0``)."""
    body = text.strip()
    if body.startswith(TITLE):
        body = body[len(TITLE) :].lstrip("\n")
    body = _SPEC_LINK.sub(r"\1", body)
    return _HEADING.sub(lambda m: "#" + m.group(1) + " ", body)
