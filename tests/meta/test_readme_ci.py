"""README's two commands are the truth: CI runs exactly the test command."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(python3 -m venv .+?)\n```", text)


def test_readme_shows_a_start_and_a_test_command() -> None:
    start, test = readme_commands()[:2]
    assert start.endswith("specfirst up")
    assert "pytest" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script
    assert readme_commands()[1] in script.splitlines()
