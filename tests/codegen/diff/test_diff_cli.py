"""``specfirst diff``: formats, ``--fail-on`` exit codes, usage errors and ``--base``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from codegen.cli.commands import diff as diff_command
from codegen.core.diagnostics import SourceLocation
from codegen.core.errors import UserError
from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.model import Change
from codegen.designer.diff.reporters import render_json, render_markdown, render_text

V1 = """openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /orders:
    get:
      operationId: listOrders
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses: {"200": {description: ok}}
    delete:
      operationId: deleteOrders
      responses: {"204": {description: gone}}
"""
NON_BREAKING = V1.replace(
    "operationId: listOrders\n", "operationId: listOrders\n      description: All.\n"
)
POTENTIAL = V1.replace("      parameters: [{name: q, in: query, schema: {type: string}}]\n", "")
BREAKING = V1.replace(
    '    delete:\n      operationId: deleteOrders\n      responses: {"204": {description: gone}}\n',
    "",
)


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    diff_command.register(application)

    @application.callback()
    def _root() -> None:
        """Stand-in for codegen.cli.app's group."""

    return application


def run(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["diff", *args])
    if isinstance(result.exception, UserError):
        return result.exception.exit_code, str(result.exception)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("new", "fail_on", "exit_code"),
    [
        (BREAKING, None, 1),
        (POTENTIAL, None, 0),
        (POTENTIAL, "potentially-breaking", 1),
        (NON_BREAKING, "potentially-breaking", 0),
        (NON_BREAKING, "non-breaking", 1),
        (V1, "non-breaking", 0),
    ],
)
def test_fail_on_levels(
    app: typer.Typer, tmp_path: Path, new: str, fail_on: str | None, exit_code: int
) -> None:
    (tmp_path / "old.yaml").write_text(V1, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    args = [str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")]
    if fail_on:
        args += ["--fail-on", fail_on]
    assert run(app, *args)[0] == exit_code


def test_text_output_names_check_and_both_locations(app: typer.Typer, tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(V1, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(BREAKING, encoding="utf-8")
    _, output = run(app, str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"))
    lines = output.splitlines()
    assert lines[0] == "breaking SF402 operation-removed: DELETE /orders: operation removed"
    assert lines[1].endswith("old.yaml:9:5 #/paths/~1orders/delete")
    assert lines[2].endswith("new.yaml:4:3 #/paths/~1orders")
    assert lines[-1] == "1 breaking, 0 potentially breaking, 0 non-breaking"


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_formats(app: typer.Typer, tmp_path: Path, fmt: str) -> None:
    (tmp_path / "old.yaml").write_text(V1, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(BREAKING, encoding="utf-8")
    code, output = run(app, str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "-f", fmt)
    assert code == 1
    if fmt == "json":
        data = json.loads(output)
        assert data["summary"] == {"breaking": 1, "potentially-breaking": 0, "non-breaking": 0}
        assert data["changes"][0]["check"] == "SF402"
        assert data["changes"][0]["old"]["pointer"] == "/paths/~1orders/delete"
    else:
        assert output.startswith("## API changes\n\n**1 breaking")
        assert "### Breaking changes (1)" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give OLD and NEW spec files, or --base REF"),
        (["a.yaml"], "give OLD and NEW spec files, or --base REF"),
        (
            ["a.yaml", "b.yaml", "--base", "main"],
            "give either OLD and NEW, or --base REF, not both",
        ),
        (["missing.yaml", "missing.yaml"], "missing.yaml: no such file"),
        (["--base", "main", "--merge-base", "main"], "give --base or --merge-base, not both"),
    ],
)
def test_usage_errors_exit_2(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(app, *args) == (2, message)


def test_unloadable_spec_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text("swagger: '2.0'\n", encoding="utf-8")
    (tmp_path / "new.yaml").write_text(V1, encoding="utf-8")
    code, message = run(app, str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"))
    assert (code, message) == (2, "cannot compare: a spec could not be loaded")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_base_compares_every_spec_with_a_revision(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "orders.yaml").write_text(V1, encoding="utf-8")
    (specs / "gone.yaml").write_text(V1, encoding="utf-8")
    (specs / "same.yaml").write_text(V1, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "specs")
    git(tmp_path, "commit", "-q", "-m", "v1")
    (specs / "orders.yaml").write_text(BREAKING, encoding="utf-8")
    (specs / "gone.yaml").unlink()
    (specs / "added.yaml").write_text(V1, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(app, "--base", "main", "--format", "json")
    assert code == 1
    changes = [
        (c["check"], c["message"], c["old"] and c["old"]["file"], c["new"] and c["new"]["file"])
        for c in json.loads(output)["changes"]
    ]
    assert changes == [
        ("SF481", "spec specs/gone.yaml removed", "main:specs/gone.yaml", None),
        (
            "SF402",
            "DELETE /orders: operation removed",
            "main:specs/orders.yaml",
            "specs/orders.yaml",
        ),
        ("SF480", "spec specs/added.yaml added", None, "specs/added.yaml"),
    ]


def test_base_with_unknown_ref_is_a_usage_error(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "specs").mkdir()
    git(tmp_path, "init", "-q", "-b", "main")
    monkeypatch.chdir(tmp_path)
    code, message = run(app, "--base", "nope")
    assert code == 2
    assert message.startswith("--base 'nope' is not a commit in ")


def test_markdown_escapes_table_cells() -> None:
    where = SourceLocation("a.yaml", 3, 1, "/paths/~1a|b")
    change = Change("SF401", Level.BREAKING, "path /a|b removed", where, where)
    table_row = render_markdown([change]).splitlines()[-1]
    assert table_row == (
        "| SF401 path-removed | path /a\\|b removed | `a.yaml:3` `#/paths/~1a\\|b` "
        "| `a.yaml:3` `#/paths/~1a\\|b` |"
    )


def test_empty_reports() -> None:
    assert render_text([]) == "no changes"
    assert render_markdown([]) == "## API changes\n\nNo API changes."
    assert json.loads(render_json([]))["changes"] == []


def test_broken_ref_is_a_warning_and_comparison_goes_on(app: typer.Typer, tmp_path: Path) -> None:
    broken = BREAKING.replace(
        "      responses:",
        "      requestBody: {$ref: '#/components/requestBodies/Nope'}\n      responses:",
        1,
    )
    (tmp_path / "old.yaml").write_text(V1, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")]
    )
    assert result.exit_code == 1
    assert "specfirst: warning: compared despite these loader errors" in result.stderr
    assert "SF011" in result.stderr
    assert "SF402 operation-removed" in result.stdout


def test_base_reports_an_unloadable_old_spec_by_its_revision_path(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "orders.yaml").write_text("swagger: '2.0'\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "specs")
    git(tmp_path, "commit", "-q", "-m", "v1")
    (specs / "orders.yaml").write_text(V1, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["diff", "--base", "main"])
    assert isinstance(result.exception, UserError)
    assert "main:specs/orders.yaml:1:1" in result.stderr


def test_merge_base_compares_with_the_fork_point(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "orders.yaml").write_text(V1, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "specs")
    git(tmp_path, "commit", "-q", "-m", "v1")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    (specs / "orders.yaml").write_text(BREAKING, encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "drop delete")
    monkeypatch.chdir(tmp_path)
    code, output = run(app, "--merge-base", "main")
    assert code == 1
    assert output.startswith("breaking SF402 operation-removed: DELETE /orders: operation removed")
    assert ":specs/orders.yaml:9:5 #/paths/~1orders/delete" in output


def test_merge_base_without_the_branch_does_nothing(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "orders.yaml").write_text(V1, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "trunk")
    git(tmp_path, "add", "specs")
    git(tmp_path, "commit", "-q", "-m", "v1")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["diff", "--merge-base", "main"])
    assert result.exit_code == 0
    assert result.stderr == "specfirst: no merge base with main; nothing to compare\n"
