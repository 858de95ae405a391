"""docs/diff.md and docs/diagnostics.md list every check with its level."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.designer.diff.catalogue import CHECKS, Check

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.mark.parametrize("check", CHECKS, ids=[check.id for check in CHECKS])
def test_check_is_documented(check: Check) -> None:
    row = f"| {check.id} | {check.name} | {check.level} | {check.summary} |"
    assert row in (DOCS / "diff.md").read_text(encoding="utf-8")
    assert row in (DOCS / "diagnostics.md").read_text(encoding="utf-8")
