"""Report a contract run: console table per operation, failures with curl, JUnit XML, JSON.

The console summary (rich) has one row per operation::

    catalog  seed 1234  cases 812  failures 1
    operation                              cases  checks ok  failed
    POST /categories (createCategory)         64        890       0

followed by each failure: operation, check, message and a curl command that
reproduces it (against the same service started with the same seed data).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from codegen.verify.contract.results import CheckFailure, TargetResult


def print_summary(console: Console, results: Sequence[TargetResult]) -> None:
    for result in results:
        status = "[green]passed[/]" if result.ok else "[red]FAILED[/]"
        table = Table(
            title=(
                f"{result.name}: {status}  seed {result.seed}  {result.cases} cases"
                f"  {len(result.failures)} failures  {result.elapsed:.1f}s"
            ),
            title_justify="left",
        )
        table.add_column("operation")
        table.add_column("cases", justify="right")
        table.add_column("checks passed", justify="right")
        table.add_column("checks failed", justify="right")
        for operation in sorted(result.operations.values(), key=lambda op: op.operation):
            failed = str(operation.checks_failed)
            table.add_row(
                operation.name,
                str(operation.cases),
                str(operation.checks_passed),
                f"[red]{failed}[/]" if operation.checks_failed else failed,
            )
        console.print(table)
        if result.stopped_early:
            console.print(f"[yellow]{result.name}: stopped early: {result.stopped_early}[/]")
        for note in result.seed_notes:
            console.print(f"[yellow]seed: {note}[/]")
        for failure in result.failures:
            got = f" (got {failure.status})" if failure.status is not None else ""
            console.print(
                f"[red]FAIL[/] {result.name} {failure.operation} [bold]{failure.check}[/]:"
                f" {failure.title}{got}"
            )
            console.print(f"  {failure.message}", markup=False, highlight=False)
            if failure.body:
                console.print(f"  response: {failure.body}", markup=False, highlight=False)
            console.print(
                f"  reproduce: {failure.curl}", markup=False, highlight=False, soft_wrap=True
            )
        for error in result.errors:
            console.print("[red]ERROR[/] ", end="")
            console.print(f"{result.name}: {error}", markup=False, highlight=False)


def _failure_text(failure: CheckFailure) -> str:
    got = f"status {failure.status}: {failure.body}\n\n" if failure.status is not None else ""
    return f"{failure.message}\n\n{got}reproduce:\n{failure.curl}\n"


def junit_xml(results: Sequence[TargetResult]) -> str:
    """One ``<testsuite>`` per target, one ``<testcase>`` per operation; each failed
    check is a ``<failure>`` whose text holds the message and the curl command."""
    root = ET.Element("testsuites", name="specfirst test")
    for result in results:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=result.name,
            tests=str(len(result.operations)),
            failures=str(len(result.failing_operations())),
            errors=str(len(result.errors)),
            time=f"{result.elapsed:.3f}",
        )
        ET.SubElement(
            ET.SubElement(suite, "properties"), "property", name="seed", value=str(result.seed)
        )
        for operation in sorted(result.operations.values(), key=lambda op: op.operation):
            case = ET.SubElement(suite, "testcase", classname=result.name, name=operation.name)
            for failure in (f for f in result.failures if f.operation == operation.operation):
                node = ET.SubElement(
                    case, "failure", message=f"{failure.check}: {failure.title}", type=failure.check
                )
                node.text = _failure_text(failure)
        orphans = [f for f in result.failures if f.operation not in result.operations]
        for error in result.errors:
            ET.SubElement(
                ET.SubElement(suite, "testcase", classname=result.name, name="run"),
                "error",
                message=error,
            )
        for failure in orphans:
            case = ET.SubElement(suite, "testcase", classname=result.name, name=failure.operation)
            node = ET.SubElement(
                case, "failure", message=f"{failure.check}: {failure.title}", type=failure.check
            )
            node.text = _failure_text(failure)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def as_json(results: Sequence[TargetResult]) -> dict[str, Any]:
    return {
        "ok": all(result.ok for result in results),
        "cases": sum(result.cases for result in results),
        "targets": [
            {
                "name": result.name,
                "seed": result.seed,
                "ok": result.ok,
                "cases": result.cases,
                "elapsed": round(result.elapsed, 3),
                "stopped_early": result.stopped_early,
                "operations": [
                    {
                        "operation": op.operation,
                        "operationId": op.operation_id,
                        "cases": op.cases,
                        "checks_passed": op.checks_passed,
                        "checks_failed": op.checks_failed,
                    }
                    for op in sorted(result.operations.values(), key=lambda op: op.operation)
                ],
                "failures": [
                    {
                        "operation": f.operation,
                        "check": f.check,
                        "title": f.title,
                        "message": f.message,
                        "curl": f.curl,
                        "status": f.status,
                        "body": f.body,
                    }
                    for f in result.failures
                ],
                "errors": list(result.errors),
                "seed_notes": list(result.seed_notes),
            }
            for result in results
        ],
    }


def write_junit(path: Path, results: Sequence[TargetResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(results), encoding="utf-8")


def dump_json(results: Sequence[TargetResult]) -> str:
    return json.dumps(as_json(results), indent=2)
