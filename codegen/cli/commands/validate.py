"""``specfirst validate [PATH...]``: is this spec valid, and if not, where?

Checks each spec (default: every ``*.yaml``, ``*.yml`` and ``*.json`` in
``specs/``; a directory argument means the specs in it, except fragments
such as a shared ``common.yaml`` that other specs refer to) with everything
specfirst knows: loading and ``$ref`` resolution (SF0xx), the OpenAPI
meta-schema and semantic checks (SF1xx) and what the generator would refuse
(SF2xx). All findings are printed at once; the exit code is 1 when any is an
error, 0 otherwise, and 2 for a usage problem such as a missing path.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from codegen.core.diagnostics import Diagnostic, has_errors, render_json, render_text
from codegen.core.errors import UserError
from codegen.core.ir.build import build_api
from codegen.core.project import spec_files
from codegen.core.spec.loader import LoadedSpec, load_spec
from codegen.core.spec.validate import combine, validate_spec


class Format(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


def find_specs(paths: list[Path]) -> list[tuple[Path, bool]]:
    """The spec files ``paths`` name, each with whether it was named
    explicitly (directories expand to the specs in them, sorted); ``specs/``
    when no path is given."""
    targets = paths or [Path("specs")]
    found: list[tuple[Path, bool]] = []
    for target in targets:
        if target.is_dir():
            found.extend((p, False) for p in spec_files(target))
        elif target.is_file():
            found.append((target, True))
        else:
            raise UserError(f"{target}: no such file or directory")
    if not found:
        raise UserError(f"no spec files (*.yaml, *.yml, *.json) in {', '.join(map(str, targets))}")
    return found


def check_spec(path: Path) -> tuple[LoadedSpec | None, list[Diagnostic]]:
    """Every finding about one spec file, as ``validate`` reports them."""
    loaded, diagnostics = load_spec(path.as_posix())
    if loaded is None:
        return None, diagnostics
    diagnostics.extend(validate_spec(loaded))
    _, build_diagnostics = build_api(loaded)
    return loaded, combine(diagnostics, build_diagnostics)


def check_specs(specs: list[tuple[Path, bool]]) -> tuple[int, list[Diagnostic]]:
    """(number of specs checked, findings). A file found in a directory that
    is no OpenAPI document but that another spec refers to (a shared
    ``common.yaml``) is a fragment: it is checked through that spec, not on
    its own."""
    results = [(path, explicit, *check_spec(path)) for path, explicit in specs]
    referenced = {
        spec_file.path
        for _, _, loaded, _ in results
        if loaded is not None
        for spec_file in loaded.files.values()
        if spec_file is not loaded.root
    }
    checked, diagnostics = 0, []
    for path, explicit, loaded, findings in results:
        fragment = loaded is None and [(d.code, d.location.pointer) for d in findings] == [
            ("SF006", "")
        ]
        if fragment and not explicit and path.resolve() in referenced:
            continue
        checked += 1
        diagnostics.extend(findings)
    return checked, diagnostics


def validate_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Spec files or directories (default: specs/).", show_default=False),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format: text or json.")
    ] = Format.TEXT,
) -> None:
    """Validate OpenAPI specs; exit 1 if any has an error.

    Example: specfirst validate specs/orders.yaml --format json
    """
    checked, diagnostics = check_specs(find_specs(list(paths or [])))
    if output_format is Format.JSON:
        typer.echo(render_json(diagnostics))
    else:
        typer.echo(render_text(diagnostics) + f" in {checked} spec(s)")
    raise typer.Exit(1 if has_errors(diagnostics) else 0)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)
