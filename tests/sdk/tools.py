"""Third-party code generators for the SDK tests, installed once and cached.

Python tools go into their own virtual environment under ``.cache/pytools``
(gitignored; override with ``SPECFIRST_PYTOOLS_CACHE``), never into the
project's environment, whose pins they might move. npm tools come from
:func:`tests.support.npm.npm_package`. Where a tool cannot be installed the
test skips with the reason, or fails under ``SPECFIRST_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def _unavailable(reason: str) -> None:
    if os.environ.get("SPECFIRST_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def python_tool(name: str, version: str) -> Path:
    """The ``bin`` directory of a venv holding PyPI package ``name==version``."""
    root = Path(os.environ.get("SPECFIRST_PYTOOLS_CACHE", REPO_ROOT / ".cache" / "pytools"))
    venv = root / f"{name}-{version}"
    marker = venv / ".installed"
    if marker.exists():
        return venv / "bin"
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers install one at a time
        if marker.exists():
            return venv / "bin"
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        result = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{name}=={version}"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            _unavailable(f"pip install {name}=={version} failed: {result.stderr.strip()[-500:]}")
        marker.touch()
    return venv / "bin"
