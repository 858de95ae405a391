"""``specfirst generate``: specs -> validated DRF code in generator-owned directories.

* ``specfirst generate``: every spec in ``specs/`` -> ``services/<stem>/<stem>/api/_generated/``
  (only services whose app directory exists; the others are listed as skipped);
* ``specfirst generate --check``: write nothing, list stale and orphan files,
  exit 1 if there are any;
* both also cover the typed client models of the services each service calls
  (``clients = [...]`` in its ``[tool.specfirst.services.<name>]`` table,
  see :mod:`codegen.generator.clients`) in ``services/<name>/<name>/clients/_generated/``;
* both also cover ``specs/_specfirst/problem.yaml``, the problem profile's component
  that every spec's error responses reference (:mod:`codegen.generator.problems`);
* ``specfirst generate SPEC --out DIR``: any spec -> a self-contained Django
  app package in ``DIR`` (which the generator then owns).

Warnings are printed and generation goes on; a blocking error prints every
finding, writes nothing and exits 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from codegen.cli.console import OutputMode, Progress, output_mode
from codegen.core.diagnostics import Diagnostic, render_json, render_text
from codegen.core.errors import UserError
from codegen.core.project import spec_files
from codegen.generator.clients import client_filesets
from codegen.generator.generation import (
    Target,
    owned_by_generator,
    plan,
    service_app_exists,
    service_target,
)
from codegen.generator.problems import problem_fileset


def default_targets(specs_dir: Path, services_dir: Path) -> tuple[list[Target], list[Path]]:
    """(targets, skipped specs) for every spec in ``specs_dir``."""
    if not specs_dir.is_dir():
        raise UserError(f"{specs_dir}: no such directory (run from the repository root)")
    specs = spec_files(specs_dir)
    targets, skipped = [], []
    for spec in specs:
        if service_app_exists(spec, services_dir):
            targets.append(Target(spec, service_target(spec, services_dir)))
        else:
            skipped.append(spec)
    return targets, skipped


def _suggest(name: str) -> str:
    """``"my-api"`` -> ``"my_api"``."""
    cleaned = "".join(c if c.isalnum() else "_" for c in name).strip("_") or "api"
    return cleaned if cleaned.isidentifier() else f"api_{cleaned}"


def _targets(spec: Path | None, out: Path | None) -> tuple[list[Target], list[Path]]:
    if spec is None:
        if out is not None:
            raise UserError("--out needs a SPEC argument")
        return default_targets(Path("specs"), Path("services"))
    if not spec.is_file():
        raise UserError(f"{spec}: no such file")
    if out is not None:
        if not out.name.isidentifier():
            raise UserError(
                f"{out}: the last path component becomes the package name, so it must be "
                f"a Python identifier (e.g. {_suggest(out.name)})"
            )
        if not owned_by_generator(out):
            raise UserError(
                f"{out} exists and does not hold generated code; "
                "choose an empty or new directory (the generator owns and rewrites it)"
            )
        return [Target(spec, out, app=True)], []
    if service_app_exists(spec):
        return [Target(spec, service_target(spec))], []
    raise UserError(f"no service app services/{spec.stem}/{spec.stem}/ for {spec}; use --out DIR")


def generate_command(
    spec: Annotated[
        Path | None, typer.Argument(help="One spec file (default: every spec in specs/).")
    ] = None,
    *,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write a standalone Django app package here."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if files are stale or orphaned.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors; the exit status tells.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print one JSON report on stdout (progress as JSON lines on stderr)."
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse specs with any error validate reports, and unreachable operations "
            "(by default those that still allow correct code are warnings).",
        ),
    ] = False,
) -> None:
    """Generate DRF serializers, ViewSet stubs and URL confs from OpenAPI specs.

    Examples:

      specfirst generate                          # specs/*.yaml -> services/*/*/api/_generated/

      specfirst generate --check                  # CI: are the generated files up to date?

      specfirst generate path/to/api.yaml --out build/petstore_api

      specfirst generate --strict                 # every spec-level MUST blocks
    """
    mode = output_mode(quiet, as_json)
    report = GenerateReport(mode)
    targets, skipped = _targets(spec, out)
    report.skipped = [str(path) for path in skipped]
    # The specs refer to the problem profile's file, so it is written before they load.
    shared = [problem_fileset(Path("specs"))] if spec is None else []
    if not check:
        for fileset in shared:
            report.generated[str(fileset.directory)] = len(fileset.write())
    with Progress(mode, total=len(targets), label="generate") as progress:
        result = plan(
            targets, lambda target: progress.step(f"generating {target.spec}"), strict=strict
        )
    report.diagnostics = result.diagnostics
    if result.failed:
        failed = ", ".join(str(p) for p in result.failed)
        report.finish(f"not generated: blocking errors in {failed}; nothing was written", 1)
    filesets = list(result.filesets)
    if spec is None:
        filesets.extend(client_filesets(Path("."), Path("specs"), Path("services")))
    if check:
        for fileset in [*shared, *filesets]:
            outcome = fileset.check()
            report.stale += [str(path) for path in outcome.stale]
            report.orphan += [str(path) for path in outcome.orphan]
        if report.stale or report.orphan:
            report.finish("generated code is out of date; run 'specfirst generate'", 1)
        report.finish(f"up to date: {len(filesets)} generated package(s)", 0)
    for fileset in filesets:
        written = fileset.write()
        report.generated[str(fileset.directory)] = len(written)
    report.finish(f"generated {len(filesets)} package(s)", 0)


class GenerateReport:
    """What ``generate`` found, printed once at the end in the chosen mode:
    text lines for people, one JSON document for machines, nothing with --quiet
    (but errors, which always go to stderr)."""

    def __init__(self, mode: OutputMode) -> None:
        self.mode = mode
        self.skipped: list[str] = []
        self.diagnostics: list[Diagnostic] = []
        self.stale: list[str] = []
        self.orphan: list[str] = []
        self.generated: dict[str, int] = {}

    def finish(self, summary: str, exit_code: int) -> NoReturn:
        if self.mode is OutputMode.JSON:
            document = {
                "ok": exit_code == 0,
                "summary": summary,
                "skipped": self.skipped,
                "generated": self.generated,
                "stale": self.stale,
                "orphan": self.orphan,
                "diagnostics": json.loads(render_json(self.diagnostics)),
            }
            typer.echo(json.dumps(document, indent=2, sort_keys=True))
            raise typer.Exit(exit_code)
        if self.diagnostics:
            typer.echo(render_text(self.diagnostics), err=True)
        if self.mode is OutputMode.TEXT:
            for path in self.skipped:
                stem = Path(path).stem
                typer.echo(f"skipped {path}: no service app services/{stem}/{stem}/")
            for directory, count in self.generated.items():
                typer.echo(f"generated {directory} ({count} file(s) changed)")
        for path in self.stale:
            typer.echo(f"stale: {path}")
        for path in self.orphan:
            typer.echo(f"orphan: {path}")
        if exit_code or self.mode is OutputMode.TEXT:
            typer.echo(summary, err=bool(exit_code))
        raise typer.Exit(exit_code)


def register(app: typer.Typer) -> None:
    app.command("generate")(generate_command)
