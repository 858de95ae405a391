"""Golden SDK trees: generating ``golden/<case>/spec.yaml`` gives exactly
``golden/<case>/expected/``. Regenerate with ``python -m tests.sdk.golden.regen``
(run from the repository root) and review the diff."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from tests.sdk.golden.regen import REPO, cases, render_case


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.name)
def test_golden_tree(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the header names the spec by its repository path
    files = render_case(case)
    expected_dir = case / "expected"
    expected = {
        path.relative_to(expected_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(expected_dir.rglob("*"))
        if path.is_file()
        and not any(part == "__pycache__" or part.startswith(".") for part in path.parts)
    }
    assert sorted(files) == sorted(expected), "file lists differ; python -m tests.sdk.golden.regen"
    for name, text in files.items():
        if text != expected[name]:
            diff = difflib.unified_diff(
                expected[name].splitlines(),
                text.splitlines(),
                f"expected/{name}",
                name,
                lineterm="",
            )
            pytest.fail(
                f"{name} differs (python -m tests.sdk.golden.regen):{os.linesep}"
                + os.linesep.join(diff)
            )
