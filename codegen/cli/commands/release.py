"""``specfirst release SERVICE``: version, changelog and tag for a service's spec.

From the diff since the last ``<service>-v*`` tag (or ``--base REF``) it
proposes the next ``info.version`` by semver, writes it into the spec and a
section into ``specs/<service>.CHANGELOG.md``, and prints the tag to create
after committing. The generated SDK takes its version from ``info.version``
and shows the changelog in its README. ``--check`` writes nothing and fails
(exit 1) when the spec changed in a breaking way without a major bump;
``--dry-run`` prints the plan and the section. ``--check`` without SERVICE checks
every service's spec (CI's use) and reports each before failing.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from codegen.core.diagnostics import render_text
from codegen.core.errors import UserError
from codegen.core.project import SPECS_OPTION_HELP, read_specfirst_table, spec_files, specs_dir
from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.runner import SpecLoadError
from codegen.designer.release.changelog import render_section, write_release
from codegen.designer.release.plan import ReleasePlan, plan_release
from codegen.designer.release.semver import Bump


def _specs(root: Path, specs: Path | None) -> tuple[Path, dict[str, Path]]:
    """The specs folder and every service's spec in it (name -> path)."""
    table, _ = read_specfirst_table(root)
    folder = specs_dir(root, table, specs)
    return folder, {path.stem: path for path in spec_files(folder)}


def _chosen(service: str | None, check: bool, root: Path, specs: Path | None) -> dict[str, Path]:
    """The service named, or with ``--check`` and no name every service."""
    folder, files = _specs(root, specs)
    if service is None:
        if not check:
            raise UserError("name the SERVICE to release (only --check checks every service)")
        if not files:
            raise UserError(f"no service spec in {folder}")
        return files
    if service not in files:
        known = ", ".join(sorted(files)) or "none"
        raise UserError(f"no service {service!r} in {folder} (services: {known})")
    return {service: files[service]}


def _plan(service: str, spec: Path, base: str | None) -> ReleasePlan:
    try:
        return plan_release(service, spec, base)
    except SpecLoadError as exc:
        sys.stderr.write(render_text(exc.diagnostics) + "\n")
        raise UserError("cannot compare: a spec could not be loaded") from None


def _describe(plan: ReleasePlan) -> str:
    if plan.base_ref is None:
        return f"{plan.service}: first release, {plan.next} (no {plan.service}-v* tag yet)"
    counts = f"{len(plan.changes)} change(s) since {plan.base_ref} ({plan.base_version})"
    return f"{plan.service}: {counts}: {plan.bump} release -> {plan.next}"


def _refusal(plan: ReleasePlan) -> str | None:
    """Why ``--check`` fails ``plan`` (a breaking change without a major bump), or None."""
    if plan.base_version is None or plan.bump is not Bump.MAJOR:
        return None
    if plan.current.satisfies(plan.base_version, Bump.MAJOR):
        return None
    breaking = sum(1 for c in plan.changes if c.level >= Level.POTENTIALLY_BREAKING)
    return (
        f"{plan.spec}: {breaking} breaking or potentially breaking change(s) since "
        f"{plan.base_ref}, but info.version "
        f"{plan.current} is not a major step from {plan.base_version}; "
        f"run `specfirst release {plan.service}` "
        f"(it proposes {plan.base_version.bump(Bump.MAJOR)})"
    )


def _check(plans: list[ReleasePlan]) -> None:
    """Describe every plan, then fail with each refusal (all of them, not the first)."""
    for plan in plans:
        typer.echo(_describe(plan))
    refusals = [text for text in map(_refusal, plans) if text is not None]
    if refusals:
        raise UserError("\n".join(refusals), exit_code=1)


def release_command(
    service: Annotated[
        str | None,
        typer.Argument(
            help="The service (its spec's file stem); with --check, every service when omitted.",
            show_default=False,
        ),
    ] = None,
    *,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="Compare with this git revision (default: the last tag).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 on a breaking change without a major version bump.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan and the changelog section only.")
    ] = False,
    root: Annotated[Path, typer.Option("--root", help="Project root (configuration).")] = Path("."),
    specs: Annotated[Path | None, typer.Option("--specs", help=SPECS_OPTION_HELP)] = None,
) -> None:
    """Propose the next version of a service's spec and write its changelog (docs/release.md).

    Examples: specfirst release catalog; specfirst release catalog --dry-run;
    specfirst release orders --check --base origin/main; specfirst release --check
    """
    chosen = _chosen(service, check, root, specs)
    if check:
        _check([_plan(name, path, base) for name, path in chosen.items()])
        return
    ((service, spec),) = chosen.items()
    plan = _plan(service, spec, base)
    today = dt.datetime.now(dt.UTC).date()
    if dry_run:
        typer.echo(_describe(plan))
        typer.echo(render_section(plan, today))
        return
    if plan.base_ref is not None and plan.bump is Bump.NONE:
        typer.echo(f"{plan.service}: no changes since {plan.base_ref}; nothing to release")
        return
    bumped, added = write_release(plan, today)
    typer.echo(_describe(plan))
    if bumped:
        typer.echo(f"  {spec}: info.version {plan.current} -> {plan.next}")
    if added:
        typer.echo(f"  {spec.with_name(spec.stem + '.CHANGELOG.md')}: section {plan.next} added")
    typer.echo(
        f"next: specfirst generate, commit, then `git tag {plan.tag}` "
        "(the SDK takes its version from info.version)"
    )


def register(app: typer.Typer) -> None:
    app.command("release")(release_command)
