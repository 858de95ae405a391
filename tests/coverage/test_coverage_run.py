"""``specfirst test --coverage`` end to end: a status added to a spec that no code
produces lowers the coverage, shows up uncovered at its spec line, and fails the
threshold the unchanged spec meets.

Both runs test one operation of a copy of the customers service (``--operation``),
so they take seconds; the copy's spec differs only by the added ``418``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.contract.violations import copy_project

pytestmark = [pytest.mark.contract, pytest.mark.e2e]

SPECFIRST = str(Path(sys.executable).with_name("specfirst"))
SERVICE = "customers"
OPERATION = "getCustomer"
LABEL = "GET /customers/{customerId}"


def run(root: Path, out: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    argv = [
        SPECFIRST, "test", SERVICE, "--no-gateway", "--root", str(root), "--seed", "3",
        "--max-examples", "3", "--time-budget", "60", "--operation", OPERATION,
        "--coverage", "--coverage-json", str(out), *extra,
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, check=False, cwd=root)
    assert out.is_file(), done.stdout + done.stderr
    (target,) = json.loads(out.read_text(encoding="utf-8"))["targets"]
    return done, target


def add_status(spec: Path, status: str) -> int:
    """Declare ``status`` on the operation; the line of the new key."""
    yaml = YAML()
    document = yaml.load(spec.read_text(encoding="utf-8"))
    responses = document["paths"]["/customers/{customerId}"]["get"]["responses"]
    responses[status] = {"description": "Nothing produces this."}
    with spec.open("w", encoding="utf-8") as handle:
        yaml.dump(document, handle)
    lines = spec.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(f"'{status}':"))


def test_a_status_no_code_produces_lowers_coverage(tmp_path: Path) -> None:
    root = copy_project(tmp_path, SERVICE)
    done, before = run(root, tmp_path / "before.json")
    assert done.returncode == 0, done.stdout + done.stderr
    statuses = before["kinds"]["statuses"]
    assert statuses["covered"] > 0

    line = add_status(root / "specs" / f"{SERVICE}.yaml", "418")
    threshold = f"statuses={statuses['percent']}"
    done, after = run(root, tmp_path / "after.json", "--min-coverage", threshold)
    assert after["kinds"]["statuses"]["total"] == statuses["total"] + 1
    assert after["kinds"]["statuses"]["covered"] == statuses["covered"]
    assert after["kinds"]["statuses"]["percent"] < statuses["percent"]
    (item,) = [i for i in after["items"] if i["id"] == f"{LABEL} status 418"]
    assert (item["covered"], item["line"], item["file"]) == (False, line, "specs/customers.yaml")
    assert item["pointer"] == "/paths/~1customers~1{customerId}/get/responses/418"
    assert done.returncode == 1
    assert f"customers: status codes coverage {after['kinds']['statuses']['percent']:.1f}%" in (
        done.stdout
    )
    assert f"is below the minimum of {statuses['percent']:g}%" in done.stdout
