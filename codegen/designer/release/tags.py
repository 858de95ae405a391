"""Release tags: ``<service>-v<version>``, read from git.

Example: tags ``catalog-v1.0.0``, ``catalog-v1.2.0``, ``orders-v3.0.0`` →
``latest_tag("catalog", root) == "catalog-v1.2.0"``.
"""

from __future__ import annotations

from pathlib import Path

from codegen.designer.diff.git import git_output
from codegen.designer.release.semver import Version, VersionError


def tag_name(service: str, version: Version) -> str:
    return f"{service}-v{version}"


def latest_tag(service: str, root: Path) -> str | None:
    """The highest ``<service>-v*`` tag reachable from HEAD, or None."""
    prefix = f"{service}-v"
    listing = git_output(["tag", "--list", f"{prefix}*", "--merged", "HEAD"], root)
    found: list[tuple[tuple[int, int, int, bool], str]] = []
    for name in listing.splitlines():
        try:
            found.append((Version.parse(name[len(prefix) :]).key, name))
        except VersionError:
            continue  # catalog-v-next, catalog-vfoo: not ours
    return max(found)[1] if found else None
