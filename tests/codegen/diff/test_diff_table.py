"""The table of before/after spec pairs: each expects one check id and level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codegen.designer.diff.catalogue import CHECKS, CHECKS_BY_ID, Level
from codegen.designer.diff.model import Change
from codegen.designer.diff.runner import diff_files
from tests.codegen.diff.builders import Spec
from tests.codegen.diff.cases import CASES, Case


def diff_specs(tmp_path: Path, old: Spec, new: Spec) -> list[Change]:
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old_path.write_text(json.dumps(old, indent=1), encoding="utf-8")
    new_path.write_text(json.dumps(new, indent=1), encoding="utf-8")
    return diff_files(old_path.as_posix(), new_path.as_posix())


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(tmp_path: Path, case: Case) -> None:
    changes = diff_specs(tmp_path, case.old, case.new)
    found = [(c.check, c.level) for c in changes]
    if case.check is None:
        assert changes == []
        return
    assert (case.check, case.level) in found, [c.message for c in changes]
    assert CHECKS_BY_ID[case.check].level is case.level
    worst = max(c.level for c in changes)
    assert worst is case.level, [c.message for c in changes if c.level > case.level]
    for change in changes:
        assert change.old is not None and change.old.file.endswith("old.json")
        assert change.new is not None and change.new.file.endswith("new.json")


def test_table_covers_every_operation_level_check() -> None:
    covered = {case.check for case in CASES}
    whole_file = {"SF480", "SF481"}  # only --base reports these: test_diff_base
    assert {check.id for check in CHECKS} - whole_file - covered == set()


def test_levels_are_ordered() -> None:
    assert Level.BREAKING > Level.POTENTIALLY_BREAKING > Level.NON_BREAKING
    assert Level.parse("potentially-breaking") is Level.POTENTIALLY_BREAKING
    assert str(Level.NON_BREAKING) == "non-breaking"
