"""The generated package passes ``mypy --strict`` and ``ruff check`` (with
the configuration in its own pyproject.toml), for an inline spec and for the
gateway's merged spec of the reference services."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.cli.commands.sdk import from_merged
from codegen.generator.output import FileSet, _ruff
from codegen.generator.sdk import render_sdk
from tests.conftest import REPO_ROOT
from tests.sdk.support import PETS_SPEC, generate

pytestmark = pytest.mark.slow


def _checks(out: Path, package: str) -> None:
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    assert "Success: no issues found in 8 source files" in mypy.stdout
    ruff = subprocess.run(
        [_ruff(), "check", "--no-cache", "."], cwd=out, capture_output=True, text=True, check=False
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    defaults = subprocess.run(  # and with ruff's own defaults, ignoring that configuration
        [_ruff(), "check", "--isolated", "--no-cache", "."],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert defaults.returncode == 0, defaults.stdout + defaults.stderr
    fmt = subprocess.run(
        [_ruff(), "format", "--check", "--no-cache", package],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_inline_spec_sdk_is_strictly_typed_and_lint_clean(
    write_spec: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "pets"
    generate(write_spec(PETS_SPEC, "pets.yaml"), out, "pets_client")
    _checks(out, "pets_client")


def test_merged_spec_sdk_is_strictly_typed_and_lint_clean(tmp_path: Path) -> None:
    loaded = from_merged(REPO_ROOT, REPO_ROOT / "specs")
    out = tmp_path / "shop"
    FileSet(out, render_sdk(loaded.api, loaded.source, "shop_client", "shop-client")).write()
    _checks(out, "shop_client")
