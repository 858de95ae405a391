"""``specfirst drift``: has any service's code drifted from its spec?

For each service, the schema drf-spectacular derives from the code (obtained
from the service's own ``manage.py spectacular``, see :mod:`codegen.verify.drift.derive`)
is compared semantically with the source spec; every difference is printed
with a JSON pointer into each document. Exit 1 on any drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from codegen.cli.console import text_console
from codegen.core.project import SPECS_OPTION_HELP
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.runner import load_document
from codegen.verify.contract.targets import discover, select
from codegen.verify.drift.compare import compare_documents
from codegen.verify.drift.derive import derived_schema
from codegen.verify.drift.model import Difference


def drift_command(
    *,
    services: Annotated[
        list[str] | None, typer.Argument(help="Services to check (default: all).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the differences as JSON.")] = False,
    root: Annotated[Path, typer.Option("--root", help="Project root.")] = Path("."),
    specs: Annotated[Path | None, typer.Option("--specs", help=SPECS_OPTION_HELP)] = None,
) -> None:
    """Compare each service's drf-spectacular schema with its spec; exit 1 on drift.

    Examples:

      specfirst drift

      specfirst drift orders --json
    """
    settings = load_settings(root.resolve(), specs.resolve() if specs else None)
    chosen = select(discover(settings), services or [])
    console = text_console(stderr=as_json)
    report: dict[str, list[Difference]] = {}
    for target in chosen:
        differences = compare_documents(load_document(target.spec), derived_schema(target))
        report[target.name] = differences
        if not differences:
            console.print(f"[green]{target.name}: no drift[/] ({target.spec})")
            continue
        console.print(f"[red]{target.name}: {len(differences)} difference(s)[/] ({target.spec})")
        for difference in differences:
            console.print(
                "  " + difference.render().replace("\n", "\n  "), markup=False, soft_wrap=True
            )
    if as_json:
        payload = {
            name: [
                {
                    "operation": d.operation,
                    "message": d.message,
                    "source_pointer": d.source_pointer,
                    "derived_pointer": d.derived_pointer,
                }
                for d in found
            ]
            for name, found in report.items()
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    if any(report.values()):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("drift")(drift_command)
