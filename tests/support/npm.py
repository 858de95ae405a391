"""Third-party spec corpora from the npm registry, installed once and cached.

Tests call :func:`npm_package` from a fixture (never at import time). The
package is installed with the machine's ``npm`` into ``.cache/npm`` at the
repository root (gitignored; override with ``SPECFIRST_NPM_CACHE``) and reused
on later runs. Where npm is missing or the registry cannot be reached, the test
skips with the reason, or fails under ``SPECFIRST_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _cache_root() -> Path:
    return Path(os.environ.get("SPECFIRST_NPM_CACHE", REPO_ROOT / ".cache" / "npm"))


def npm_package(name: str, version: str) -> Path:
    """Return the installed directory of npm package ``name@version``."""
    root = _cache_root()
    target = root / "node_modules" / name
    marker = root / f".installed-{name.replace('/', '__')}@{version}"
    if marker.exists() and target.is_dir():
        return target
    npm = shutil.which("npm")
    if npm is None:
        _unavailable(f"npm is not installed; cannot fetch {name}@{version}")
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers install one at a time
        if marker.exists() and target.is_dir():
            return target
        # --save: a later install must not prune this package as extraneous
        result = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--save",
                "--prefix",
                str(root),
                f"{name}@{version}",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0 or not target.is_dir():
            _unavailable(f"npm install {name}@{version} failed: {result.stderr.strip()[-500:]}")
        marker.touch()
    return target


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("SPECFIRST_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)
