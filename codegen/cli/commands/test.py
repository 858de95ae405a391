"""``specfirst test``: contract-test every service and the gateway against their specs.

Thin CLI over :mod:`codegen.verify.contract`: options, the seed line, the summary and
the exit code (0 all passed, 1 any failure or error, 2 usage problems).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from codegen.cli.console import OutputMode, output_mode
from codegen.verify.contract import report
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.credentials import dev_credentials
from codegen.verify.contract.engine import RunOptions
from codegen.verify.contract.results import TargetResult
from codegen.verify.contract.runner import RunContext, run_gateway, run_service
from codegen.verify.contract.targets import discover, select


def test_command(
    *,
    services: Annotated[
        list[str] | None, typer.Argument(help="Services to test (default: every service).")
    ] = None,
    gateway: Annotated[
        bool, typer.Option("--gateway/--no-gateway", help="Also test through the gateway.")
    ] = True,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="PostgreSQL server URL; each service gets a fresh database (default: SQLite).",
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed (printed on every run).")
    ] = None,
    max_examples: Annotated[
        int | None, typer.Option("--max-examples", min=1, help="Examples per operation and phase.")
    ] = None,
    time_budget: Annotated[
        float | None,
        typer.Option("--time-budget", min=1, help="Seconds per service (and gateway)."),
    ] = None,
    operation: Annotated[
        list[str] | None,
        typer.Option("--operation", "-o", help="Only this operationId (repeatable)."),
    ] = None,
    junit_xml: Annotated[
        Path | None, typer.Option("--junit-xml", help="Write a JUnit XML report.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print nothing but a failure line (with the seed)."),
    ] = False,
    root: Annotated[Path, typer.Option("--root", help="Project root.")] = Path("."),
    specs: Annotated[Path | None, typer.Option("--specs", help="Specs folder.")] = None,
) -> None:
    """Start each service with a fresh database, seed it and run schemathesis against its spec.

    Examples:

      specfirst test

      specfirst test orders --no-gateway --seed 42 --max-examples 10

      specfirst test --database-url postgres://postgres@127.0.0.1:5432 --junit-xml out/contract.xml
    """
    mode = output_mode(quiet, as_json)
    settings = load_settings(root.resolve(), specs.resolve() if specs else None)
    known = discover(settings)
    chosen = select(known, services or [])
    run_seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    options = RunOptions(
        seed=run_seed,
        max_examples=max_examples or settings.max_examples,
        time_budget=time_budget or settings.time_budget,
        operation_ids=tuple(operation or ()),
    )
    console = Console(stderr=as_json, highlight=False, quiet=mode is OutputMode.QUIET)
    console.print(f"specfirst test: seed {run_seed} (rerun with --seed {run_seed})")
    ctx = RunContext(
        settings=settings,
        known=known,
        credentials=dev_credentials(),
        options=options,
        database_url=database_url,
        progress=lambda message: console.print(f"[dim]{message}[/]"),
    )
    results: list[TargetResult] = [run_service(ctx, target.name) for target in chosen]
    if gateway:
        results.append(run_gateway(ctx))
    report.print_summary(console, results)
    if junit_xml is not None:
        report.write_junit(junit_xml, results)
    if as_json:
        sys.stdout.write(report.dump_json(results) + "\n")
    total = sum(result.cases for result in results)
    failed = [result.name for result in results if not result.ok]
    verdict = f"[red]failed: {', '.join(failed)}[/]" if failed else "[green]all passed[/]"
    if failed and mode is OutputMode.QUIET:
        console = Console(stderr=True, highlight=False)  # a failure is never silent
    console.print(f"specfirst test: {total} test cases, seed {run_seed}: {verdict}")
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("test")(test_command)
