"""The reference services publish exactly their specs: ``specfirst drift`` finds nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]

SPECFIRST = str(Path(sys.executable).with_name("specfirst"))
ROOT = Path(__file__).resolve().parents[2]


def test_reference_services_are_drift_free() -> None:
    done = subprocess.run(
        [SPECFIRST, "drift", "--root", str(ROOT), "--json"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.stdout, done.stderr
    report = json.loads(done.stdout)
    assert sorted(report) == ["catalog", "customers", "orders"]
    assert {name: [d["message"] for d in found] for name, found in report.items()} == {
        name: [] for name in report
    }
    assert done.returncode == 0
