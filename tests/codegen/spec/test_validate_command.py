"""``specfirst validate``: paths, formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from codegen.cli.commands import validate as validate_command
from codegen.core.errors import UserError

VALID = """openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /a:
    get: {operationId: getA, responses: {"200": {description: ok}}}
"""
WARNING_ONLY = VALID.replace(
    '{"200": {description: ok}}',
    '{"200": {description: ok, content: {application/json: '
    '{schema: {type: string, pattern: "^\\\\p{L}$"}}}}}',
)
INVALID = VALID.replace("/a:", "/a/{id}:")


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    validate_command.register(application)

    @application.callback()
    def _root() -> None:
        """A group needs a callback; this stands in for codegen.cli."""

    return application


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "specs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", *args])
    return result.exit_code, result.output


def test_valid_specs_exit_0(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(VALID)
    (project / "specs" / "b.json").write_text(
        json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}})
    )
    (project / "specs" / "notes.txt").write_text("not a spec")
    assert run(app) == (0, "0 error(s), 0 warning(s) in 2 spec(s)\n")


def test_warnings_alone_exit_0(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(WARNING_ONLY)
    code, output = run(app, "specs/a.yaml")
    assert code == 0
    assert "warning SF123" in output
    assert output.endswith("0 error(s), 1 warning(s) in 1 spec(s)\n")


def test_errors_exit_1_with_text_output(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(INVALID)
    code, output = run(app, "specs")
    assert code == 1
    assert output.splitlines() == [
        "specs/a.yaml:5:5 #/paths/~1a~1{id}/get: error SF111: path parameter 'id' in '/a/{id}' "
        "is not declared for GET (hint: declare {name: id, in: path, required: true, schema: ...})",
        "1 error(s), 0 warning(s) in 1 spec(s)",
    ]


def test_json_output(app: typer.Typer, project: Path) -> None:
    (project / "specs" / "a.yaml").write_text(INVALID)
    (project / "specs" / "b.yaml").write_text("swagger: '2.0'\n")
    code, output = run(app, "--format", "json")
    assert code == 1
    report = json.loads(output)
    assert [
        (item["code"], item["location"]["file"], item["location"]["line"]) for item in report
    ] == [
        ("SF111", "specs/a.yaml", 5),
        ("SF005", "specs/b.yaml", 1),
    ]
    assert report[0]["location"]["pointer"] == "/paths/~1a~1{id}/get"
    assert report[1]["severity"] == "error"


def test_missing_path_is_a_usage_error(app: typer.Typer, project: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "nope.yaml"])
    assert isinstance(result.exception, UserError)
    assert (str(result.exception), result.exception.exit_code) == (
        "nope.yaml: no such file or directory",
        2,
    )


@pytest.mark.e2e
def test_console_script_exit_codes(project: Path) -> None:
    """Through the real entry point: 0 valid, 1 invalid, 2 missing path."""
    (project / "specs" / "ok.yaml").write_text(VALID)
    (project / "bad.yaml").write_text(INVALID)

    def specfirst(*args: str) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            "-c",
            "from codegen.cli.app import main; main()",
            "validate",
            *args,
        ]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    assert specfirst().returncode == 0
    assert specfirst("bad.yaml").returncode == 1
    missing = specfirst("nope.yaml")
    assert missing.returncode == 2
    assert missing.stderr == "specfirst: error: nope.yaml: no such file or directory\n"
    assert "Traceback" not in missing.stderr


def test_shared_fragments_in_the_directory_are_checked_through_their_specs(
    app: typer.Typer, project: Path
) -> None:
    (project / "specs" / "a.yaml").write_text(
        VALID.replace("{description: ok}", "{$ref: 'common.yaml#/components/responses/Ok'}")
    )
    (project / "specs" / "common.yaml").write_text(
        "components:\n  responses:\n"
        "    Ok: {description: ok, headers: {X: {schema: {type: strin}}}}\n"
    )
    (project / "specs" / "stray.yaml").write_text("title: not a spec\n")
    code, output = run(app)
    assert code == 1
    assert [line.split(": error ")[-1][:5] for line in output.splitlines()[:-1]] == [
        "SF104",  # in common.yaml, found through a.yaml
        "SF006",  # stray.yaml: referenced by nothing, so it must be a spec
    ]
    assert output.splitlines()[0].startswith("specs/common.yaml:3:")
    assert output.endswith("2 error(s), 0 warning(s) in 2 spec(s)\n")
    # named explicitly, a fragment is checked as a spec (and is not one)
    code, output = run(app, "specs/common.yaml")
    assert (code, output.splitlines()[0].split(": error ")[-1][:5]) == (1, "SF006")
