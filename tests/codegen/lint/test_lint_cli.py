"""``specfirst lint``: paths, formats, configuration and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from codegen.cli.commands import lint as lint_command
from codegen.core.errors import UserError
from tests.codegen.lint.helpers import CLEAN

NO_SECURITY = """openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /a:
    delete: {operationId: deleteA, summary: Delete, responses: {"204": {description: gone}}}
"""
ONLY_WARNINGS = """openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /a:
    get: {operationId: getA, responses: {"200": {description: ok}}}
"""


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    lint_command.register(application)

    @application.callback()
    def _root() -> None:
        """Two commands need a group; this is the test's stand-in for codegen.cli."""

    return application


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\n', encoding="utf-8")
    (tmp_path / "specs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["lint", *args])
    return result.exit_code, result.output


def test_clean_spec_exits_0(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "shop.yaml").write_text(CLEAN.lstrip(), encoding="utf-8")
    code, output = run(app)
    assert (code, output.strip()) == (0, "0 error(s), 0 warning(s)")


def test_error_finding_exits_1(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(NO_SECURITY, encoding="utf-8")
    code, output = run(app, "specs/a.yaml")
    assert code == 1
    assert "specs/a.yaml:5:5 #/paths/~1a/delete: error SF316:" in output


def test_warnings_only_exit_0(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(ONLY_WARNINGS, encoding="utf-8")
    code, output = run(app)
    assert code == 0
    assert "warning SF304" in output


def test_pyproject_regrade_changes_exit_code(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(ONLY_WARNINGS, encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[tool.specfirst.lint.severity]\n"summary-missing" = "error"\n', encoding="utf-8"
    )
    code, output = run(app)
    assert code == 1
    assert "error SF304" in output


def test_waived_error_exits_0(app: typer.Typer, project: Path) -> None:
    waived = NO_SECURITY.replace("delete: {", 'delete: {x-specfirst-ignore: {SF316: "public"}, ')
    (project / "specs" / "a.yaml").write_text(waived, encoding="utf-8")
    assert run(app)[0] == 0


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_formats(app: typer.Typer, project: Path, fmt: str) -> None:
    (project / "specs" / "a.yaml").write_text(NO_SECURITY, encoding="utf-8")
    code, output = run(app, "--format", fmt)
    assert code == 1
    if fmt == "github":
        assert output.startswith("::error file=specs/a.yaml,line=5,col=5,title=SF316 ")
    else:
        data = json.loads(output)
        assert (data[0]["code"] if fmt == "json" else data["runs"][0]["results"][0]["ruleId"]) == (
            "SF316"
        )


def test_directory_argument_lints_every_spec(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(NO_SECURITY, encoding="utf-8")
    (project / "specs" / "b.json").write_text(
        json.dumps({"openapi": "3.1.0", "info": {"title": "B", "version": "1"}, "paths": {}}),
        encoding="utf-8",
    )
    (project / "specs" / "notes.txt").write_text("not a spec", encoding="utf-8")
    code, output = run(app, "specs", "--format", "json")
    assert code == 1
    assert {item["location"]["file"] for item in json.loads(output)} == {"specs/a.yaml"}


def test_missing_path_and_empty_directory_are_usage_errors(app: typer.Typer, project: Path) -> None:
    result = CliRunner().invoke(app, ["lint", "nope.yaml"])
    assert isinstance(result.exception, UserError)  # codegen.cli.main prints it, exits 2
    assert (str(result.exception), result.exception.exit_code) == (
        "nope.yaml: no such file or directory",
        2,
    )
    result = CliRunner().invoke(app, ["lint"])
    assert str(result.exception) == "no spec files (*.yaml, *.yml, *.json) in specs"


def test_unloadable_spec_is_reported_and_fails(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text("swagger: '2.0'\n", encoding="utf-8")
    code, output = run(app)
    assert code == 1
    assert "SF005" in output


def test_list_rules_shows_effective_severities(app: typer.Typer, project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.specfirst.lint]\ndisable = ["SF304"]\nenable = ["SF321"]\n', encoding="utf-8"
    )
    code, output = run(app, "--list-rules")
    lines = output.splitlines()
    assert code == 0
    assert len(lines) == 22
    assert lines[0].split()[:3] == ["SF301", "error", "operation-id-missing"]
    assert lines[3].split()[:3] == ["SF304", "off", "summary-missing"]
    assert lines[20].split()[:3] == ["SF321", "info", "description-missing"]


def test_explicit_config_file(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(NO_SECURITY, encoding="utf-8")
    (project / "strict.toml").write_text(
        '[tool.specfirst.lint.severity]\nSF316 = "warning"\n', encoding="utf-8"
    )
    code, output = run(app, "--config", "strict.toml")
    assert code == 0
    assert "warning SF316" in output
