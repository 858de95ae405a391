"""Progress and the ``--quiet``/``--json`` conventions of codegen.cli.console."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from codegen.cli.app import app
from codegen.cli.console import OutputMode, Progress, output_mode
from codegen.core.errors import UserError


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(mode: OutputMode, stream: io.StringIO) -> None:
    with Progress(mode, total=2, label="generate", stream=stream) as progress:
        progress.step("generating a.yaml")
        progress.step("generating b.yaml")


def test_output_mode() -> None:
    assert output_mode(False, False) is OutputMode.TEXT
    assert output_mode(True, False) is OutputMode.QUIET
    assert output_mode(False, True) is OutputMode.JSON
    with pytest.raises(UserError, match="--quiet and --json exclude each other"):
        output_mode(True, True)


def test_plain_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    _run(OutputMode.TEXT, out)
    assert out.getvalue() == "[1/2] generating a.yaml\n[2/2] generating b.yaml\n"


def test_json_lines() -> None:
    out = io.StringIO()
    _run(OutputMode.JSON, out)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert events == [
        {
            "event": "progress",
            "label": "generate",
            "done": 1,
            "total": 2,
            "step": "generating a.yaml",
        },
        {
            "event": "progress",
            "label": "generate",
            "done": 2,
            "total": 2,
            "step": "generating b.yaml",
        },
    ]


def test_quiet_prints_nothing() -> None:
    out = Terminal()
    _run(OutputMode.QUIET, out)
    assert out.getvalue() == ""


def test_a_bar_on_a_terminal() -> None:
    out = Terminal()
    _run(OutputMode.TEXT, out)
    assert "[1/2]" not in out.getvalue()  # a rich bar, not plain lines
    assert "\x1b[" in out.getvalue()  # cursor control of the live display


@pytest.mark.parametrize("command", [["generate"], ["test"], ["new", "probe"]])
def test_quiet_and_json_exclude_each_other_on_every_command_that_has_both(
    command: list[str],
) -> None:
    result = CliRunner().invoke(app, [*command, "--quiet", "--json"])
    assert result.exit_code != 0
    assert isinstance(result.exception, UserError)
    assert "--quiet and --json exclude each other" in str(result.exception)
