"""``specfirst drift`` on a copy of a reference service whose code gained a field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.contract.violations import copy_project

pytestmark = [pytest.mark.contract]

SPECFIRST = str(Path(sys.executable).with_name("specfirst"))


def drift(root: Path) -> tuple[int, list[dict[str, Any]]]:
    done = subprocess.run(
        [SPECFIRST, "drift", "catalog", "--root", str(root), "--json"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)["catalog"]


def test_field_added_in_code_only_is_drift(tmp_path: Path) -> None:
    root = copy_project(tmp_path, "catalog")
    _, before = drift(root)
    # the generated schemas are data (schemas.json beside schemas.py): the code gains a field there
    schemas = root / "services/catalog/catalog/api/_generated/schemas.json"
    data = json.loads(schemas.read_text(encoding="utf-8"))
    data["schemas"]["Category"]["properties"]["coupon"] = {"type": "string"}
    schemas.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, after = drift(root)
    added = [d for d in after if d not in before]
    assert code == 1
    assert {d["operation"] for d in added} >= {"GET /categories/{categoryId}", "POST /categories"}
    assert {d["message"] for d in added} == {"property 'coupon' is in the code only"}
    assert all(d["derived_pointer"].endswith("/properties/coupon") for d in added)
    assert all(d["source_pointer"] == "#/components/schemas/Category/properties" for d in added)
