"""Every ``--help`` at 80 columns wraps its text: nothing is cut short with an ellipsis.

Each help is rendered by the real console script in a terminal of 80 columns
(``COLUMNS=80``): click's test runner formats at another width.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from codegen.cli import app as cli
from codegen.cli import clidoc

COLUMNS = 80
ROOT = typer.main.get_command(cli.app)
# Every command and every group (``specfirst``, ``specfirst export``), by its argv.
HELP_PATHS = [
    (),
    *sorted({path[:-1] for path, _ in clidoc.walk(ROOT) if len(path) > 1}),
    *(path for path, _ in clidoc.walk(ROOT)),
]
# A word cut short: rich's "…", or click's "..." after a letter (``an example...``).
# ``[ARGS]...`` in a usage line and ``services...`` opening an argument's line say
# "one or more" and are not cuts.
CUT = re.compile(r"…|(?<=\w)\.\.\.(?=\s|$)")
ARGUMENT = re.compile(r"^\s+\w+\.\.\.\s")


SPECFIRST = str(Path(sys.executable).parent / "specfirst")


def render_help(path: tuple[str, ...]) -> str:
    result = subprocess.run(
        [SPECFIRST, *path, "--help"], check=False, capture_output=True, text=True, timeout=60,
        env={**os.environ, "COLUMNS": str(COLUMNS), "NO_COLOR": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("path", HELP_PATHS, ids=lambda path: " ".join(("specfirst", *path)))
def test_help_wraps_at_80_columns_without_cutting(path: tuple[str, ...]) -> None:
    text = render_help(path)
    cut = [line for line in text.splitlines() if CUT.search(ARGUMENT.sub("", line))]
    assert cut == [], "help text cut short at 80 columns:\n" + "\n".join(cut)
    wide = [line for line in text.splitlines() if len(line) > COLUMNS]
    assert wide == [], "help lines wider than 80 columns:\n" + "\n".join(wide)


def test_the_check_sees_a_cut() -> None:
    assert CUT.search("  k8s    Write Kubernetes manifests: a Kustomize base and an example...")
    assert CUT.search("│ SPECFIRST_PRODUCTI… │")
    assert not CUT.search("Usage: specfirst test [OPTIONS] [services]...")
    assert not CUT.search(ARGUMENT.sub("", "  services... <list[str]>  Services to check."))
