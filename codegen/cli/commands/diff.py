"""``specfirst diff OLD NEW`` / ``specfirst diff --base REF``: classify API changes.

Every change is breaking, potentially breaking or non-breaking, with a stable
check id (docs/diff.md). Exit status: 1 when a change at or above ``--fail-on``
(default: breaking) is found, 0 otherwise, 2 for a usage problem or a spec
that cannot be loaded. ``--merge-base BRANCH`` compares with the merge base of
HEAD and BRANCH, and does nothing (exit 0) where there is none, as CI wants.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from codegen.core.diagnostics import Diagnostic, render_text
from codegen.core.errors import UserError
from codegen.designer.diff import git
from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.model import Change
from codegen.designer.diff.reporters import REPORTERS
from codegen.designer.diff.runner import SpecLoadError, diff_base, diff_files
from codegen.designer.diff.traffic import Traffic, annotate
from codegen.designer.diff.usage_file import read_usage_file


class Format(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


class FailOn(enum.StrEnum):
    USED_BREAKING = "used-breaking"  # breaking with live traffic (needs --usage)
    BREAKING = "breaking"
    POTENTIALLY_BREAKING = "potentially-breaking"
    NON_BREAKING = "non-breaking"


def _base_ref(base: str | None, merge_base: str | None) -> str | None:
    """The revision to compare with; raises ``typer.Exit(0)`` when ``--merge-base``
    finds no common ancestor (nothing to compare is not a failure)."""
    if merge_base is None:
        return base
    found = git.merge_base(merge_base, git.repository_root(Path.cwd()))
    if found is None:
        sys.stderr.write(f"specfirst: no merge base with {merge_base}; nothing to compare\n")
        raise typer.Exit(0)
    return found


def _changes(
    old: Path | None, new: Path | None, ref: str | None, specs: Path, problems: list[Diagnostic]
) -> list[Change]:
    if ref is not None:
        return diff_base(ref, specs, problems)
    assert old is not None and new is not None
    for path in (old, new):
        if not path.is_file():
            raise UserError(f"{path}: no such file")
    return diff_files(old.as_posix(), new.as_posix(), problems)


def diff_command(
    old: Annotated[
        Path | None, typer.Argument(help="The old spec file.", show_default=False)
    ] = None,
    new: Annotated[
        Path | None, typer.Argument(help="The new spec file.", show_default=False)
    ] = None,
    *,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="Compare every spec in --specs with the same file at this git revision.",
            show_default=False,
        ),
    ] = None,
    merge_base: Annotated[
        str | None,
        typer.Option(
            "--merge-base",
            help="Like --base, at the merge base of HEAD and this branch (exit 0 if none).",
            show_default=False,
        ),
    ] = None,
    specs: Annotated[Path, typer.Option("--specs", help="The spec directory for --base.")] = Path(
        "specs"
    ),
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 on a change at or above this level.")
    ] = FailOn.BREAKING,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = Format.TEXT,
    usage: Annotated[
        Path | None,
        typer.Option(
            "--usage",
            help="A snapshot of `specfirst usage export`: judge each breaking change by "
            "the live traffic it would break (docs/usage.md).",
            show_default=False,
        ),
    ] = None,
    usage_service: Annotated[
        str | None,
        typer.Option(
            "--usage-service",
            help="The service of the snapshot the spec is (default: the spec file's name).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Classify the changes between two versions of a spec (docs/diff.md).

    Examples: specfirst diff old.yaml new.yaml --format markdown;
    specfirst diff --base origin/main --fail-on potentially-breaking;
    specfirst diff old.yaml new.yaml --usage usage.json --fail-on used-breaking
    """
    revision = base is not None or merge_base is not None
    if base is not None and merge_base is not None:
        raise UserError("give --base or --merge-base, not both")
    if revision and (old is not None or new is not None):
        raise UserError("give either OLD and NEW, or --base REF, not both")
    if not revision and (old is None or new is None):
        raise UserError("give OLD and NEW spec files, or --base REF")
    if fail_on is FailOn.USED_BREAKING and usage is None:
        raise UserError("--fail-on used-breaking needs --usage FILE (a usage snapshot)")
    snapshot = read_usage_file(usage) if usage is not None else None
    problems: list[Diagnostic] = []
    try:
        changes = _changes(old, new, _base_ref(base, merge_base), specs, problems)
    except SpecLoadError as exc:
        sys.stderr.write(render_text(exc.diagnostics) + "\n")
        raise UserError("cannot compare: a spec could not be loaded") from None
    if problems:
        sys.stderr.write(
            "specfirst: warning: compared despite these loader errors "
            "(what a broken $ref points to is unknown):\n" + render_text(problems) + "\n"
        )
    traffic = annotate(changes, snapshot, usage_service) if snapshot is not None else None
    typer.echo(REPORTERS[output_format.value](changes, traffic))
    if _fails(changes, traffic, fail_on):
        raise typer.Exit(1)


def _fails(changes: list[Change], traffic: list[Traffic | None] | None, fail_on: FailOn) -> bool:
    if fail_on is FailOn.USED_BREAKING:
        assert traffic is not None
        return any(
            change.level is Level.BREAKING and found is not None and found.blocks
            for change, found in zip(changes, traffic, strict=True)
        )
    return any(change.level >= Level.parse(fail_on.value) for change in changes)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)
