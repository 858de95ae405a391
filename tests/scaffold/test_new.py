"""``specfirst new``: the new service is accepted by every other command, untouched.

Each test works in a throwaway project in tmp_path (only pyproject.toml, and
the specs where composition matters, are copied); the repository is never
modified.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.cli.scaffold import service as scaffold
from codegen.cli.scaffold.service import scaffold_service
from codegen.core.errors import UserError
from codegen.core.problems.schema import PROBLEM_REF
from codegen.generator.problems import problem_yaml
from tests.conftest import REPO_ROOT

BIN = Path(sys.executable).parent


def specfirst(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "specfirst"), *args], cwd=root, capture_output=True, text=True,
        timeout=timeout, check=False, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project: the repository's pyproject.toml and nothing else."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_new_writes_a_project_that_lints_and_is_registered(project: Path) -> None:
    done = specfirst(project, "new", "inventory")
    assert done.returncode == 0, done.stderr
    assert "created service 'inventory' (port 8004)" in done.stdout
    service = project / "services" / "inventory"
    for relative in (
        "manage.py", "inventory_site/settings.py", "inventory/models.py",
        "inventory/migrations/0001_initial.py", "inventory/api/views.py",
        "inventory/api/_generated/stubs.py",
    ):  # fmt: skip
        assert (service / relative).is_file(), relative
    config = (project / "pyproject.toml").read_text()
    assert config.endswith(
        "\n[tool.specfirst.services.inventory]\n"
        "# Added by `specfirst new inventory`: where the gateway finds the service.\n"
        'upstream = "http://127.0.0.1:8004"\n'
    )
    assert specfirst(project, "lint", "specs/inventory.yaml").returncode == 0
    spec = (project / "specs" / "inventory.yaml").read_text()
    assert f"$ref: '{PROBLEM_REF}'" in spec  # the one problem profile, not a copy
    assert "Problem:" not in spec
    assert (project / "specs" / "_specfirst" / "problem.yaml").read_text() == problem_yaml()
    ruff = subprocess.run(
        [str(BIN / "ruff"), "check", "services/inventory"], cwd=project, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout
    env = {
        **os.environ,
        "INVENTORY_DATABASE_URL": f"sqlite:///{project / 'check.sqlite3'}",
        "SPECFIRST_SPEC_PATH": str(project / "specs" / "inventory.yaml"),
        "DJANGO_SETTINGS_MODULE": "inventory_site.settings",
    }
    migrations = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], cwd=service,
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr

    again = specfirst(project, "new", "inventory")
    assert again.returncode == 2
    assert "specfirst: error: service 'inventory' already exists" in again.stderr
    assert "Traceback" not in again.stderr


def test_second_service_gets_the_next_port(project: Path) -> None:
    first = scaffold_service(project, "billing")
    second = scaffold_service(project, "shipping")
    assert (first.port, second.port) == (8004, 8005)


def test_a_failed_scaffold_leaves_nothing_behind(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(spec: Path, services: Path) -> None:
        raise UserError("generator exploded")

    monkeypatch.setattr(scaffold, "_generate", broken)
    before = (project / "pyproject.toml").read_text()
    with pytest.raises(UserError, match="generator exploded"):
        scaffold_service(project, "inventory")
    assert not (project / "services" / "inventory").exists()
    assert not (project / "specs" / "inventory.yaml").exists()
    assert (project / "pyproject.toml").read_text() == before


def test_new_service_composes_with_the_existing_specs(project: Path) -> None:
    shutil.copytree(REPO_ROOT / "specs", project / "specs")
    assert specfirst(project, "new", "inventory").returncode == 0
    routes = specfirst(project, "routes", "--format", "json")
    assert routes.returncode == 0, routes.stderr
    rows = json.loads(routes.stdout)
    owners = {row["operationId"]: row["service"] for row in rows}
    assert owners["listInventoryItems"] == "inventory"
    assert owners["listCategories"] == "catalog"
    inventory = next(row for row in rows if row["service"] == "inventory")
    assert inventory["upstream"] == "http://127.0.0.1:8004/inventory/items"
    assert "SF5" not in routes.stderr, routes.stderr


@pytest.mark.e2e
@pytest.mark.slow
def test_new_service_passes_check_test_drift_and_the_gateway(project: Path) -> None:
    assert specfirst(project, "new", "inventory").returncode == 0
    check = specfirst(project, "generate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    drift = specfirst(project, "drift", "inventory")
    assert drift.returncode == 0, drift.stdout + drift.stderr
    assert "inventory: no drift" in drift.stdout
    tested = specfirst(project, "test", "inventory", "--max-examples", "5")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "gateway: passed" in tested.stdout + tested.stderr


def test_new_json_and_quiet(
    project: Path,
) -> None:
    done = specfirst(project, "new", "billing", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["service"] == "billing" and payload["port"] == 8004
    assert "specs/billing.yaml" in payload["files"]
    steps = [json.loads(line)["step"] for line in done.stderr.splitlines()]
    assert steps[0] == "writing specs/billing.yaml" and len(steps) == 4
    quiet = specfirst(project, "new", "shipping", "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_an_existing_service_is_named_as_existing_first(project: Path) -> None:
    (project / "specs").mkdir()
    (project / "specs" / "catalog.yaml").write_text("openapi: 3.1.0\n")
    with pytest.raises(UserError, match=r"service 'catalog' already exists \(specs/catalog.yaml\)"):
        scaffold_service(project, "catalog")
    with pytest.raises(UserError, match="is not a valid service name"):
        scaffold_service(project, "../escape")
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml", "specs"]
