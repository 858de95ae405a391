"""``specfirst generate``: specs -> validated DRF code in generator-owned directories.

* ``specfirst generate``: every spec in ``specs/`` -> ``services/<stem>/<stem>/api/_generated/``
  (only services whose app directory exists; the others are listed as skipped);
* ``specfirst generate --check``: write nothing, list stale and orphan files,
  exit 1 if there are any;
* both also cover the typed client models of the services each service calls
  (``clients = [...]`` in its ``[tool.specfirst.services.<name>]`` table,
  see :mod:`codegen.clients`) in ``services/<name>/<name>/clients/_generated/``;
* ``specfirst generate SPEC --out DIR``: any spec -> a self-contained Django
  app package in ``DIR`` (which the generator then owns).

Warnings are printed and generation goes on; a blocking error prints every
finding, writes nothing and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codegen.clients import client_filesets
from codegen.commands.validate import SPEC_SUFFIXES
from codegen.console import UserError
from codegen.diagnostics import render_text
from codegen.generation import (
    Target,
    owned_by_generator,
    plan,
    service_app_exists,
    service_target,
)


def default_targets(specs_dir: Path, services_dir: Path) -> tuple[list[Target], list[Path]]:
    """(targets, skipped specs) for every spec in ``specs_dir``."""
    if not specs_dir.is_dir():
        raise UserError(f"{specs_dir}: no such directory (run from the repository root)")
    specs = sorted(p for p in specs_dir.iterdir() if p.is_file() and p.suffix in SPEC_SUFFIXES)
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
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write a standalone Django app package here."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if files are stale or orphaned.")
    ] = False,
) -> None:
    """Generate DRF serializers, ViewSet stubs and URL confs from OpenAPI specs.

    Examples:

      specfirst generate                          # specs/*.yaml -> services/*/*/api/_generated/

      specfirst generate --check                  # CI: are the generated files up to date?

      specfirst generate path/to/api.yaml --out build/petstore_api
    """
    targets, skipped = _targets(spec, out)
    for path in skipped:
        typer.echo(f"skipped {path}: no service app services/{path.stem}/{path.stem}/")
    result = plan(targets)
    if result.diagnostics:
        typer.echo(render_text(result.diagnostics), err=True)
    if result.failed:
        failed = ", ".join(str(p) for p in result.failed)
        typer.echo(f"not generated: blocking errors in {failed}; nothing was written", err=True)
        raise typer.Exit(1)
    filesets = list(result.filesets)
    if spec is None:
        filesets.extend(client_filesets(Path("."), Path("specs"), Path("services")))
    if check:
        dirty = False
        for fileset in filesets:
            outcome = fileset.check()
            for path in outcome.stale:
                typer.echo(f"stale: {path}")
            for path in outcome.orphan:
                typer.echo(f"orphan: {path}")
            dirty = dirty or not outcome.clean
        if dirty:
            typer.echo("generated code is out of date; run 'specfirst generate'", err=True)
            raise typer.Exit(1)
        typer.echo(f"up to date: {len(filesets)} generated package(s)")
        return
    for fileset in filesets:
        written = fileset.write()
        typer.echo(f"generated {fileset.directory} ({len(written)} file(s) changed)")


def register(app: typer.Typer) -> None:
    app.command("generate")(generate_command)
