"""Conventions every ``specfirst`` command keeps: an example in ``--help``, a fresh
docs/cli.md, and bad input answered with one clear line, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import typer.main

from codegen.cli import app as cli
from codegen.cli import clidoc
from codegen.cli.commands import up as up_command

COMMANDS = {
    " ".join(path): command for path, command in clidoc.walk(typer.main.get_command(cli.app))
}
BAD_TOML = "[tool.specfirst\n"

# One bad invocation per command: a missing file, an unknown service, a broken
# configuration or an invalid value. "{tmp}" is an empty project, "{bad}" one
# whose pyproject.toml does not parse.
BAD_INPUT: dict[str, list[str]] = {
    "validate": ["validate", "{tmp}/missing.yaml"],
    "generate": ["generate", "{tmp}/missing.yaml"],
    "serve": ["serve", "{tmp}/missing.yaml"],
    "lint": ["lint", "{tmp}/missing.yaml"],
    "diff": ["diff", "{tmp}/old.yaml", "{tmp}/new.yaml"],
    "sdk": ["sdk", "--spec", "{tmp}/missing.yaml", "--out", "{tmp}/sdk"],
    "test": ["test", "nosuchservice", "--root", "{tmp}"],
    "drift": ["drift", "nosuchservice", "--root", "{tmp}"],
    "merge": ["merge", "--root", "{bad}"],
    "routes": ["routes", "--format", "xml", "--root", "{tmp}"],
    "gateway": ["gateway", "--root", "{bad}"],
    "up": ["up", "--root", "{tmp}"],
    "new": ["new", "Not-A-Name", "--root", "{tmp}"],
    "export nginx": ["export", "nginx", "--root", "{bad}"],
    "export k8s": ["export", "k8s", "--out", "{tmp}/k8s", "--root", "{bad}"],
    "release": ["release", "nosuchservice", "--root", "{tmp}"],
    "usage export": ["usage", "export", "--since", "yesterday", "--root", "{tmp}"],
}


def run_main(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """``specfirst ARGV`` in this process; its exit status."""
    monkeypatch.setattr(sys, "argv", ["specfirst", *argv])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    code = exited.value.code
    return code if isinstance(code, int) else (0 if code is None else 1)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_an_example(name: str) -> None:
    _, examples = clidoc.split_help(COMMANDS[name].help or "")
    assert examples, f"specfirst {name} --help has no 'Example:' line"
    assert all(example.startswith(f"specfirst {name}") for example in examples), examples


def test_every_command_has_a_bad_input_case() -> None:
    assert sorted(BAD_INPUT) == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_bad_input_is_one_clear_line_without_traceback(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pyproject.toml").write_text(BAD_TOML)
    argv = [arg.format(tmp=tmp_path, bad=bad) for arg in BAD_INPUT[name]]
    code = run_main(argv, monkeypatch)
    err = capsys.readouterr().err
    assert code in (1, 2), err
    assert "Traceback" not in err
    assert "internal error" not in err, err
    assert err.strip(), "no error message at all"


def test_unexpected_errors_are_one_line_unless_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def explode(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(up_command, "plan_system", explode)
    assert run_main(["up", "--root", str(tmp_path)], monkeypatch) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "specfirst: error: internal error: RuntimeError: boom (run with --debug for details)\n"
    )
    monkeypatch.setattr(sys, "argv", ["specfirst", "--debug", "up", "--root", str(tmp_path)])
    with pytest.raises(RuntimeError, match="boom"):
        cli.main()


def test_cli_reference_is_fresh() -> None:
    assert clidoc.DOC_PATH.read_text(encoding="utf-8") == clidoc.render_reference(), (
        "docs/cli.md is stale: run .venv/bin/python -m codegen.cli.clidoc"
    )


def test_split_help() -> None:
    assert clidoc.split_help("Do it.\n\nExamples:\n\n  specfirst x\n\n  specfirst x -v\n") == (
        "Do it.", ["specfirst x", "specfirst x -v"],
    )  # fmt: skip
    assert clidoc.split_help("Do it.\n\nExample: specfirst y --z") == (
        "Do it.",
        ["specfirst y --z"],
    )
    assert clidoc.split_help("No example.") == ("No example.", [])
