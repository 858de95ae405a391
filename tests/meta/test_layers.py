"""The layers of docs/architecture.md hold, and the contracts that say so can fail.

``lint-imports`` reads the contracts in pyproject.toml (``[tool.importlinter]``). The
first test runs it on the tree as it is; the planted tests copy the tree, add one import
that the architecture forbids, and check that the right contract breaks and names the
import, so a contract weakened to "always kept" fails here. The last test covers what a
static import graph cannot see (``importlib.import_module``): importing the core and
the gateway at run time loads no Django, DRF or Jinja.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("codegen", "gateway", "services/servicekit")


def lint_imports(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "services")])}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_contract_is_kept() -> None:
    result = lint_imports(REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The Python sources of every root package, and pyproject.toml, under ``tmp_path``."""
    for package in PACKAGES:
        shutil.copytree(
            REPO_ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "_generated", "*.jinja", "templates"),
        )
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


PLANTED = [
    # (file, import line added, broken contract, what the report names)
    (
        "codegen/core/diagnostics.py",
        "import codegen.cli.console",
        "layers",
        "codegen.core.diagnostics -> codegen.cli.console",
    ),
    (
        "codegen/generator/clients.py",
        "import gateway.config",
        "layers",
        "codegen.generator is not allowed to import gateway",
    ),
    (
        "services/servicekit/problems.py",
        "import codegen.designer.mock.state",
        "layers",
        "servicekit is not allowed to import codegen.designer",
    ),
    (
        "codegen/designer/lint/runner.py",
        "import codegen.verify.contract.engine",
        "layers",
        "codegen.designer is not allowed to import codegen.verify",
    ),
    ("gateway/app.py", "import jinja2", "jinja-in-generator", "gateway.app -> jinja2"),
    (
        "codegen/core/spec/loader.py",
        "import django.conf",
        "no-django",
        "codegen.core.spec.loader -> django (l.",
    ),
    (
        "codegen/core/project.py",
        "import rich.console",
        "core-without-cli",
        "codegen.core.project -> rich (l.",
    ),
    (
        "gateway/table.py",
        "import gateway.app",
        "acyclic",
        "No cycles are allowed in gateway",
    ),
]


@pytest.mark.parametrize(("path", "line", "contract", "expected"), PLANTED)
def test_a_planted_violation_breaks_its_contract(
    tree_copy: Path, path: str, line: str, contract: str, expected: str
) -> None:
    target = tree_copy / path
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tree_copy, "--contract", contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert expected in result.stdout


def test_a_module_outside_every_layer_is_refused(tree_copy: Path) -> None:
    (tree_copy / "codegen" / "helpers.py").write_text("from __future__ import annotations\n")
    result = lint_imports(tree_copy, "--contract", "codegen-tree")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "codegen.helpers" in result.stdout


RUNTIME_CHECKS = [
    # (modules imported, top-level packages that must stay unloaded)
    (
        ["codegen.core.loading", "codegen.core.project", "codegen.core.spec.bundle"],
        {"django", "rest_framework", "drf_spectacular", "jinja2", "typer", "gateway"},
    ),
    (
        ["gateway.app", "gateway.commands", "gateway.server", "gateway.compose.load"],
        {"django", "rest_framework", "drf_spectacular", "jinja2", "servicekit"},
    ),
    (
        ["codegen.designer.lint.runner", "codegen.designer.mock.state"],
        {"django", "rest_framework", "jinja2", "gateway", "servicekit"},
    ),
]


@pytest.mark.parametrize(("modules", "banned"), RUNTIME_CHECKS)
def test_importing_a_layer_loads_nothing_it_must_not(modules: list[str], banned: set[str]) -> None:
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted({{n.split('.')[0] for n in sys.modules}} & set({sorted(banned)!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
