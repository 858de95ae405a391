"""Load what to compare and run the comparison: two files, or specs/ against a revision.

Example: ``diff_files("specs/v1.yaml", "specs/v2.yaml")`` → the changes; a
spec that cannot be loaded raises :class:`SpecLoadError` with the loader's
diagnostics. ``diff_base("main", Path("specs"))`` compares every spec in
``specs/`` with the same file at ``main`` and reports added and removed specs
(SF480, SF481).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from codegen.core.diagnostics import Diagnostic, Severity, SourceLocation
from codegen.core.errors import UserError
from codegen.core.project import SPEC_SUFFIXES
from codegen.core.spec.loader import LoadedSpec, load_spec
from codegen.designer.diff import git
from codegen.designer.diff.catalogue import CHECKS_BY_ID
from codegen.designer.diff.compare import compare_specs, sort_changes
from codegen.designer.diff.model import Change, Subject


class SpecLoadError(Exception):
    """A spec could not be loaded; ``diagnostics`` say why."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__("cannot load spec")
        self.diagnostics = list(diagnostics)


def _load(path: str | os.PathLike[str], problems: list[Diagnostic] | None) -> LoadedSpec:
    loaded, diagnostics = load_spec(path)
    if loaded is None:
        raise SpecLoadError(diagnostics)
    if problems is not None:
        problems.extend(d for d in diagnostics if d.severity is Severity.ERROR)
    return loaded


def diff_files(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    problems: list[Diagnostic] | None = None,
) -> list[Change]:
    """The changes from ``old`` to ``new``. Loader errors that do not stop the
    comparison (a broken ``$ref``: what it points to is compared as unknown) are
    added to ``problems``."""
    return compare_specs(_load(old, problems), _load(new, problems))


def _spec_names(paths: Sequence[PurePosixPath | Path]) -> dict[str, PurePosixPath | Path]:
    return {p.name: p for p in paths if p.suffix in SPEC_SUFFIXES}


def _relabel(change: Change, prefix: str, label: str) -> Change:
    """Show old locations in the exported copy as ``REF:path``."""
    old = change.old
    if old is None or not old.file.startswith(prefix):
        return change
    relabelled = dataclasses.replace(old, file=label + old.file[len(prefix) :])
    return dataclasses.replace(change, old=relabelled)


def _relabel_diagnostic(diagnostic: Diagnostic, prefix: str, label: str) -> Diagnostic:
    where = diagnostic.location
    if not where.file.startswith(prefix):
        return diagnostic
    moved = dataclasses.replace(where, file=label + where.file[len(prefix) :])
    return dataclasses.replace(diagnostic, location=moved)


def _whole_file(check: str, message: str, display: str) -> Change:
    location = SourceLocation(display, 1, 1, "")
    old, new = (None, location) if check == "SF480" else (location, None)
    subject = Subject("*", "*", service=PurePosixPath(display).stem)
    return Change(check, CHECKS_BY_ID[check].level, message, old, new, subject)


def diff_base(ref: str, specs_dir: Path, problems: list[Diagnostic] | None = None) -> list[Change]:
    """Every spec in ``specs_dir`` against the same file at git revision ``ref``."""
    cwd = Path.cwd()
    root = git.repository_root(cwd)
    git.verify_ref(ref, root)
    absolute = (cwd / specs_dir).resolve()
    try:
        relative = PurePosixPath(absolute.relative_to(root.resolve()).as_posix())
    except ValueError:
        raise UserError(f"{specs_dir} is not inside the git repository {root}") from None
    current = sorted(p for p in specs_dir.iterdir() if p.is_file()) if specs_dir.is_dir() else []
    new_specs = _spec_names(current)
    changes: list[Change] = []
    loaded_problems: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="specfirst-base-") as tmp:
        files = git.files_at(ref, relative, root)
        git.export(ref, files, root, Path(tmp))
        old_specs = _spec_names([f for f in files if f.parent == relative])
        prefix = (Path(tmp) / relative).as_posix() + "/"
        label = f"{ref}:{specs_dir.as_posix()}/"
        for name in sorted(set(old_specs) | set(new_specs)):
            shown = f"{specs_dir.as_posix()}/{name}"
            if name not in new_specs:
                changes.append(_whole_file("SF481", f"spec {shown} removed", label + name))
            elif name not in old_specs:
                changes.append(_whole_file("SF480", f"spec {shown} added", shown))
            else:
                try:
                    found = diff_files(prefix + name, new_specs[name].as_posix(), loaded_problems)
                except SpecLoadError as error:
                    raise SpecLoadError(
                        [_relabel_diagnostic(d, prefix, label) for d in error.diagnostics]
                    ) from None
                changes.extend(_relabel(c, prefix, label) for c in found)
        if problems is not None:
            problems.extend(_relabel_diagnostic(d, prefix, label) for d in loaded_problems)
    return sort_changes(changes)
