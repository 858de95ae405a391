"""``specfirst lint [PATH...]``: the API design rules of docs/lint.md.

Lints each spec (default: every ``*.yaml``, ``*.yml`` and ``*.json`` in
``specs/``; a directory argument means the specs in it), applies the
``[tool.specfirst.lint]`` configuration of the nearest ``pyproject.toml`` and
the ``x-specfirst-ignore`` waivers, prints the findings in the chosen format
and exits 1 when an error-level finding remains (2 for a usage problem).
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from codegen.cli.commands.validate import find_specs
from codegen.core.diagnostics import Diagnostic, has_errors, sort_key
from codegen.designer.lint.catalogue import RULES
from codegen.designer.lint.config import LintConfig, find_pyproject, load_config
from codegen.designer.lint.reporters import REPORTERS
from codegen.designer.lint.runner import lint_path


class Format(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


def rule_table(settings: LintConfig) -> str:
    """One line per rule: ``SF304  warning  summary-missing  Every operation has a summary.``"""
    lines = []
    for rule in RULES:
        level = settings.severity_of(rule.id)
        lines.append(
            f"{rule.id}  {str(level) if level else 'off':7}  {rule.name:28}  {rule.summary}"
        )
    return "\n".join(lines)


def lint_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Spec files or directories (default: specs/).", show_default=False),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = Format.TEXT,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="pyproject.toml with [tool.specfirst.lint] (default: the nearest one).",
            show_default=False,
        ),
    ] = None,
    list_rules: Annotated[
        bool,
        typer.Option("--list-rules", help="Print every rule with its effective severity and exit."),
    ] = False,
) -> None:
    """Check API design rules (docs/lint.md); exit 1 on any error-level finding.

    Example: specfirst lint specs/orders.yaml --format github
    """
    settings = load_config(config if config is not None else find_pyproject(Path.cwd()))
    if list_rules:
        typer.echo(rule_table(settings))
        return
    diagnostics: list[Diagnostic] = []
    for path, _named in find_specs(list(paths or [])):
        diagnostics.extend(lint_path(path.as_posix(), settings))
    diagnostics.sort(key=sort_key)
    report = REPORTERS[output_format.value](diagnostics)
    if report:
        typer.echo(report)
    if has_errors(diagnostics):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_command)
