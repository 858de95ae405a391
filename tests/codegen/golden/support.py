"""Golden cases: each ``cases/<case>/spec.yaml`` and its ``expected/`` tree.

Generation runs with the case directory as working directory and the spec
named ``spec.yaml``, so every header reads ``from spec.yaml`` wherever the
repository lives.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from codegen.generator.generation import Target, plan

CASES = Path(__file__).parent / "cases"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "spec.yaml").is_file())


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def render_case(case: str) -> dict[str, str]:
    """``{relative path: text}`` the generator produces for ``case``."""
    with _cwd(CASES / case):
        result = plan([Target(Path("spec.yaml"), Path("expected"), app=True)])
    assert not result.failed, [d.format() for d in result.diagnostics]
    (fileset,) = result.filesets
    return dict(fileset.files)


def expected_tree(case: str) -> dict[str, str]:
    root = CASES / case / "expected"
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
