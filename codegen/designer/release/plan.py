"""Plan a release: the last release tag, the changes since, the next version.

Tags are ``<service>-v<version>`` (``catalog-v1.4.0``), one series per service,
so services release independently from one repository. The base of a
release is the highest such tag reachable from HEAD, or ``--base REF``. The
bump follows semver from the diff (:mod:`codegen.designer.diff`): a breaking
or potentially breaking change is **major** (client code may stop working,
e.g. an operationId rename renames the SDK method); an addition (operation,
optional parameter or property, media type, response, accepted value,
deprecation) is **minor**; anything else (documentation, stronger responses,
a renamed path parameter) is **patch**.

Example: ``plan_release("catalog", Path("specs"))`` with tag ``catalog-v1.0.0``
and a removed response property → ``ReleasePlan(base=1.0.0, bump=MAJOR,
next=2.0.0, ...)``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from codegen.core.errors import UserError
from codegen.core.spec.loader import load_spec
from codegen.designer.diff import git
from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.model import Change
from codegen.designer.diff.runner import SpecLoadError, diff_files
from codegen.designer.release.semver import Bump, Version, VersionError
from codegen.designer.release.tags import latest_tag, tag_name

# Non-breaking checks that add something a client can use (semver minor);
# every other non-breaking change is a patch.
ADDITIONS = frozenset({
    "SF403", "SF404", "SF405", "SF411", "SF414", "SF424", "SF425", "SF441", "SF442",
    "SF451", "SF455", "SF461", "SF467", "SF472", "SF480",
})  # fmt: skip


def bump_for(change: Change) -> Bump:
    if change.level >= Level.POTENTIALLY_BREAKING:
        return Bump.MAJOR
    return Bump.MINOR if change.check in ADDITIONS else Bump.PATCH


@dataclass
class ReleasePlan:
    service: str
    spec: Path
    base_ref: str | None  # None: the first release
    base_version: Version | None
    current: Version  # info.version in the working tree
    changes: list[Change] = field(default_factory=list)

    @property
    def bump(self) -> Bump:
        if self.base_ref is None:
            return Bump.NONE
        return max((bump_for(c) for c in self.changes), default=Bump.NONE)

    @property
    def next(self) -> Version:
        """The version to release: the semver step from the base, or the current
        version when it already goes at least that far."""
        if self.base_version is None:
            return self.current
        proposed = self.base_version.bump(self.bump)
        return self.current if self.current.satisfies(self.base_version, self.bump) else proposed

    @property
    def tag(self) -> str:
        return tag_name(self.service, self.next)


def spec_version(path: Path, label: str) -> Version:
    loaded, diagnostics = load_spec(path)
    if loaded is None:
        raise SpecLoadError(diagnostics)
    info = loaded.root.data.get("info") if isinstance(loaded.root.data, dict) else None
    raw = info.get("version") if isinstance(info, dict) else None
    try:
        return Version.parse(str(raw))
    except VersionError as exc:
        raise UserError(f"{label}: info.version {exc}") from None


def plan_release(service: str, spec: Path, base: str | None = None) -> ReleasePlan:
    """Compare ``spec`` with itself at the base (``base`` or the last release tag)."""
    root = git.repository_root(spec.parent.resolve())
    current = spec_version(spec, spec.as_posix())
    ref = base or latest_tag(service, root)
    if ref is None:
        return ReleasePlan(service, spec, None, None, current)
    git.verify_ref(ref, root)
    relative = PurePosixPath(spec.resolve().relative_to(root.resolve()).as_posix())
    with tempfile.TemporaryDirectory(prefix="specfirst-release-") as tmp:
        files = git.files_at(ref, relative.parent, root)
        if relative not in files:
            return ReleasePlan(service, spec, None, None, current)  # new since the base
        git.export(ref, files, root, Path(tmp))
        old = Path(tmp).joinpath(*relative.parts)
        base_version = spec_version(old, f"{ref}:{relative}")
        changes = diff_files(old, spec)
    return ReleasePlan(service, spec, ref, base_version, current, changes)
