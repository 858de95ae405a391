"""``lint`` and ``diff`` are reachable through the real ``specfirst`` command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from codegen.cli.app import app

NO_SECURITY = """openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /a:
    delete: {operationId: deleteA, summary: Delete, responses: {"204": {description: gone}}}
"""


def test_lint_and_diff_through_specfirst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.yaml").write_text(NO_SECURITY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["lint", "--format", "github"])
    assert result.exit_code == 1
    assert result.output.startswith("::error file=specs/a.yaml,line=5,col=5,")
    result = CliRunner().invoke(app, ["diff", "specs/a.yaml", "specs/a.yaml"])
    assert (result.exit_code, result.output) == (0, "no changes\n")
