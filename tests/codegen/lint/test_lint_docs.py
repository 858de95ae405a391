"""docs/lint.md and docs/diagnostics.md document every rule as the catalogue defines it."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.designer.lint.catalogue import RULES, Rule

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_rule_is_documented(rule: Rule) -> None:
    lint_md = (DOCS / "lint.md").read_text(encoding="utf-8")
    section = lint_md.split(f"### {rule.id} {rule.name}\n", 1)[1].split("\n### ", 1)[0]
    assert f"**Severity:** {rule.severity}" in section
    assert f"**Checks:** {rule.summary}" in section
    assert f"**Reason:** {rule.reason}" in section
    assert f"**Fix:** {rule.fix}" in section
    diagnostics_md = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    severity = f"{rule.severity}" + ("" if rule.enabled else " (opt-in)")
    assert f"| {rule.id} | {rule.name} | {severity} | {rule.summary} |" in diagnostics_md
