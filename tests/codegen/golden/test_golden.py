"""Golden-file tests: generated code for small specs, one construct family per case.

On mismatch the failure shows a unified diff and the command that
regenerates the expected trees after a deliberate change.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.codegen.golden.support import CASES, case_names, expected_tree, render_case

REGEN = "python -m tests.codegen.golden.regen"


@pytest.mark.parametrize("case", case_names())
def test_generated_code_matches_golden_tree(case: str) -> None:
    actual = render_case(case)
    expected = expected_tree(case)
    problems: list[str] = []
    for rel in sorted(set(actual) | set(expected)):
        if rel not in expected:
            problems.append(f"unexpected file {rel}")
        elif rel not in actual:
            problems.append(f"missing file {rel}")
        elif actual[rel] != expected[rel]:
            diff = difflib.unified_diff(
                expected[rel].splitlines(keepends=True),
                actual[rel].splitlines(keepends=True),
                fromfile=f"expected/{rel}",
                tofile=f"generated/{rel}",
            )
            problems.append("".join(diff))
    assert not problems, "\n".join(problems) + f"\nIf the change is intended, run: {REGEN}"


@pytest.mark.parametrize("case", case_names())
def test_generated_code_compiles(case: str) -> None:
    for rel, text in render_case(case).items():
        if rel.endswith(".py"):
            compile(text, f"{case}/{rel}", "exec")


def _mypy_strict(cwd: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` on ``targets`` in ``cwd`` with the project's own mypy settings
    (they exclude drf-spectacular's unannotated calls, which servicekit makes) and the
    runtime (servicekit) on the path, as the services type-check against it. The
    django-stubs plugin imports the settings module those settings name, so the
    project is on the interpreter's path too, not only on mypy's."""
    repo = Path(__file__).resolve().parents[3]
    declared = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    entries = declared["tool"]["mypy"]["mypy_path"].split(":")
    paths = os.pathsep.join(str(repo / entry) for entry in entries)
    env = {**os.environ, "MYPYPATH": paths, "PYTHONPATH": paths}
    mypy = str(Path(sys.executable).parent / "mypy")
    config = ["--config-file", str(repo / "pyproject.toml")]
    command = [mypy, *config, "--strict", "--ignore-missing-imports", "--no-incremental"]
    return subprocess.run(
        [*command, *targets], check=False, cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.slow
def test_generated_code_passes_mypy_strict(tmp_path: Path) -> None:
    """The golden trees type-check under ``mypy --strict`` against the runtime."""
    for case in case_names():
        shutil.copytree(CASES / case / "expected", tmp_path / f"golden_{case}")
    result = _mypy_strict(tmp_path, *(f"golden_{case}" for case in case_names()))
    assert result.returncode == 0, result.stdout + result.stderr


VIEWS_WITH_AN_UNDECLARED_STATUS = """\
from rest_framework.request import Request
from servicekit.contract import Reply

from golden_parameters import stubs


class Items(stubs.ItemsViewSet):
    def get_items(self, request: Request) -> stubs.GetItemsReply:
        if request.method == "HEAD":
            return Reply(204)
        return Reply(200)
"""


@pytest.mark.slow
def test_mypy_flags_a_reply_with_an_undeclared_status(tmp_path: Path) -> None:
    """``getItems`` declares only 204: ``Reply(200, ...)`` is a type error, ``Reply(204)`` not."""
    shutil.copytree(CASES / "parameters" / "expected", tmp_path / "golden_parameters")
    (tmp_path / "views.py").write_text(VIEWS_WITH_AN_UNDECLARED_STATUS, encoding="utf-8")
    result = _mypy_strict(tmp_path, "views.py")
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors == [
        'views.py:11: error: Argument 1 to "Reply" has incompatible type "Literal[200]"; '
        'expected "Literal[204]"  [arg-type]'
    ], result.stdout


VIEWS_WITH_A_WRONG_BODY = """\
from rest_framework.request import Request
from servicekit.contract import Reply

from golden_objects import bodies, replies, stubs


class Things(stubs.ThingsViewSet):
    def create_thing(self, request: Request, *, body: bodies.Thing) -> stubs.CreateThingReply:
        if body.name == "typed":
            thing: replies.Thing = {"name": "a", "class": "b", "nullable-required": 1}
            return Reply(201, thing)
        if body.name == "literal":
            return Reply(201, {"name": "a", "class": "b", "nullable-required": None})
        return Reply(201, {"name": "a", "class": "b", "nullable-required": 1, "password": "x"})
"""


def test_mypy_flags_a_reply_with_the_wrong_body(tmp_path: Path) -> None:
    """``createThing`` replies with a ``Thing``: a ``replies.Thing`` or a dict literal of its
    shape type-checks; one carrying the writeOnly ``password`` (left out of the response
    type) is a type error."""
    shutil.copytree(CASES / "objects" / "expected", tmp_path / "golden_objects")
    (tmp_path / "views.py").write_text(VIEWS_WITH_A_WRONG_BODY, encoding="utf-8")
    result = _mypy_strict(tmp_path, "views.py")
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, result.stdout
    assert errors[0].startswith(
        'views.py:14: error: Argument 2 to "Reply" has incompatible type'
    ), result.stdout
