"""Declared dependencies are exactly the imported ones, and the check can fail.

``deptry .`` (configured in ``[tool.deptry]`` of pyproject.toml, run by .ci/run) reads
every import of the product (codegen/, gateway/, services/) and the dependencies of
``[project]``. The planted tests run it with a changed copy of pyproject.toml: a
dependency nothing imports, and an imported package that is not declared, each fail.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

DEPTRY = Path(sys.executable).with_name("deptry")


def deptry(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DEPTRY), ".", "--config", str(config), "--no-ansi"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_declared_dependencies_are_the_imported_ones() -> None:
    result = deptry(REPO_ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No dependency issues found" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("old", "new", "finding"),
    [
        ('    "orjson>=3.10",\n', '    "orjson>=3.10",\n    "sniffio",\n', "DEP002 'sniffio'"),
        ('    "pydantic>=2.6",', "", "DEP003 'pydantic'"),
    ],
    ids=["unused", "undeclared"],
)
def test_a_planted_mismatch_fails(tmp_path: Path, old: str, new: str, finding: str) -> None:
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert old in text
    config = tmp_path / "pyproject.toml"
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = deptry(config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert finding in result.stdout + result.stderr
