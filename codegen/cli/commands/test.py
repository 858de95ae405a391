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

from codegen.cli.console import OutputMode, output_mode, text_console
from codegen.cli.up.plan import project_ports
from codegen.core.project import SPECS_OPTION_HELP
from codegen.verify.contract import report
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.credentials import dev_credentials
from codegen.verify.contract.engine import RunOptions
from codegen.verify.contract.results import TargetResult
from codegen.verify.contract.runner import RunContext, run_gateway, run_service
from codegen.verify.contract.targets import discover, select
from codegen.verify.coverage.options import CoverageOptions


def test_command(
    *,
    services: Annotated[
        list[str] | None, typer.Argument(help="Services to test (default: every service).")
    ] = None,
    gateway: Annotated[
        bool,
        typer.Option(
            "--gateway/--no-gateway",
            help="Also test through the gateway (with services named: only their operations).",
        ),
    ] = True,
    base_port: Annotated[
        int | None,
        typer.Option(
            "--base-port",
            min=0,
            max=65535,
            help="The gateway's port; services placed after it as specfirst up places them "
            "(default: free ephemeral ports).",
        ),
    ] = None,
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
    coverage: Annotated[
        bool,
        typer.Option("--coverage", help="Record contract coverage and print its summary table."),
    ] = False,
    coverage_json: Annotated[
        Path | None,
        typer.Option("--coverage-json", help="Write every coverage item as JSON (records it)."),
    ] = None,
    coverage_html: Annotated[
        Path | None,
        typer.Option(
            "--coverage-html", help="Write an HTML page per target of uncovered items (records it)."
        ),
    ] = None,
    min_coverage: Annotated[
        list[str] | None,
        typer.Option(
            "--min-coverage",
            help="Fail below this coverage: 90, statuses=100, gateway:operations=60 (repeatable).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print nothing but a failure line (with the seed)."),
    ] = False,
    root: Annotated[Path, typer.Option("--root", help="Project root.")] = Path("."),
    specs: Annotated[Path | None, typer.Option("--specs", help=SPECS_OPTION_HELP)] = None,
) -> None:
    """Start each service with a fresh database, seed it and run schemathesis against its spec.

    Examples:

      specfirst test

      specfirst test orders --no-gateway --seed 42 --max-examples 10

      specfirst test inventory --base-port 9000   # inventory, and the gateway's routes to it

      specfirst test --database-url postgres://postgres@127.0.0.1:5432 --junit-xml out/contract.xml

      specfirst test --coverage --min-coverage 90 --coverage-html .cache/coverage
    """
    mode = output_mode(quiet, as_json)
    settings = load_settings(root.resolve(), specs.resolve() if specs else None)
    known = discover(settings)
    chosen = select(known, services or [])
    ports = {} if base_port is None else project_ports(settings.root, list(known), base_port)
    run_seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    options = RunOptions(
        seed=run_seed,
        max_examples=max_examples or settings.max_examples,
        time_budget=time_budget or settings.time_budget,
        operation_ids=tuple(operation or ()),
    )
    recording = CoverageOptions(coverage, coverage_json, coverage_html, tuple(min_coverage or ()))
    session = recording.session(
        settings.coverage,
        {name: t.spec for name, t in known.items()},
        options.operation_ids,
        gateway_services=services or (),
    )
    console = text_console(stderr=as_json, quiet=mode is OutputMode.QUIET)
    console.print(f"specfirst test: seed {run_seed} (rerun with --seed {run_seed})")
    ctx = RunContext(
        settings=settings,
        known=known,
        credentials=dev_credentials(),
        options=options,
        database_url=database_url,
        progress=lambda message: console.print(f"[dim]{message}[/]"),
        observe=session.observe if session is not None else None,
        ports=ports,
    )
    results: list[TargetResult] = [run_service(ctx, target.name) for target in chosen]
    if gateway:
        results.append(run_gateway(ctx, services or ()))
    report.print_summary(console, results)
    if junit_xml is not None:
        report.write_junit(junit_xml, results)
    if as_json:
        sys.stdout.write(report.dump_json(results) + "\n")
    total = sum(result.cases for result in results)
    failed = [result.name for result in results if not result.ok]
    verdict = f"[red]failed: {', '.join(failed)}[/]" if failed else "[green]all passed[/]"
    short = [] if session is None else recording.report(console, session, [r.name for r in results])
    if (failed or short) and mode is OutputMode.QUIET:
        console = text_console(stderr=True)  # a failure is never silent
    for shortfall in short:
        console.print(f"[red]specfirst test: {shortfall}[/]", highlight=False, soft_wrap=True)
    if short and not failed:
        verdict = "[red]checks passed, coverage below the minimum[/]"
    console.print(f"specfirst test: {total} test cases, seed {run_seed}: {verdict}")
    if failed or short:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("test")(test_command)
