"""``[tool.specfirst.test]`` settings, service discovery and start order."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.core.errors import UserError
from codegen.verify.contract.config import load_settings
from codegen.verify.contract.targets import discover, select, start_order
from tests.contract.violations import REPO_ROOT, copy_project, without_floors


def project(tmp_path: Path, toml: str, services: tuple[str, ...] = ("a", "b")) -> Path:
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    for name in services:
        (tmp_path / "services" / name / f"{name}_site").mkdir(parents=True)
        (tmp_path / "services" / name / "manage.py").write_text("", encoding="utf-8")
        (tmp_path / "specs").mkdir(exist_ok=True)
        (tmp_path / "specs" / f"{name}.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")
    return tmp_path


def test_settings_and_dependencies(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """
[tool.specfirst.test]
max_examples = 7
[tool.specfirst.test.services.b]
requires = ["a"]
[tool.specfirst.test.schemathesis.checks.not_a_server_error]
enabled = true
""",
    )
    settings = load_settings(root)
    assert (settings.max_examples, settings.time_budget) == (7, 120.0)
    assert settings.schemathesis == {"checks": {"not_a_server_error": {"enabled": True}}}
    known = discover(settings)
    assert [t.name for t in start_order(known, ["b"])] == ["a", "b"]
    assert [t.name for t in select(known, [])] == ["a", "b"]


def test_specfirst_toml_without_a_test_table_falls_back_to_pyproject(tmp_path: Path) -> None:
    root = project(tmp_path, "[tool.specfirst.test]\nmax_examples = 3\n")
    (root / "specfirst.toml").write_text(
        '[services.a]\nupstream = "http://127.0.0.1:1"\n', encoding="utf-8"
    )
    assert load_settings(root).max_examples == 3


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[tool.specfirst.test]\nmax_examples = 0\n",
            "[tool.specfirst.test].max_examples must be a positive number",
        ),
        (
            "[tool.specfirst.test.services.a]\nrequires = 'b'\n",
            "services.a.requires must be a list",
        ),
    ],
)
def test_bad_settings_are_user_errors(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(UserError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(project(tmp_path, toml))


def test_unknown_services_and_cycles(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "[tool.specfirst.test.services.a]\nrequires = ['b']\n"
        "[tool.specfirst.test.services.b]\nrequires = ['a']\n",
    )
    known = discover(load_settings(root))
    with pytest.raises(UserError, match="unknown service"):
        select(known, ["zzz"])
    with pytest.raises(UserError, match="cycle: a -> b"):
        start_order(known, ["a"])


def test_directories_without_a_spec_are_not_services(tmp_path: Path) -> None:
    root = project(tmp_path, "", services=("a",))
    (root / "services" / "lib").mkdir()
    (root / "services" / "lib" / "manage.py").write_text("", encoding="utf-8")
    assert list(discover(load_settings(root))) == ["a"]


def test_a_copied_service_has_no_coverage_floors(tmp_path: Path) -> None:
    """The reference floors are for every service tested whole; a copy of one service
    (the violation and coverage tests) must not be failed by them, nor by the floors of
    services it does not hold. Everything else of the configuration is kept."""
    reference = load_settings(REPO_ROOT)
    assert {rule.target for rule in reference.coverage.min_coverage} >= {"orders", "gateway"}
    copied = load_settings(copy_project(tmp_path, "customers"))
    assert copied.coverage.min_coverage == ()
    assert copied.coverage.services == reference.coverage.services
    assert copied.schemathesis == reference.schemathesis
    assert (copied.max_examples, copied.time_budget) == (
        reference.max_examples,
        reference.time_budget,
    )


def test_floors_are_dropped_as_a_key_and_as_tables() -> None:
    text = (
        "[tool.specfirst.test]\nmax_examples = 3\nmin_coverage = 90\n"
        "[tool.specfirst.test.min_coverage]  # every target\nstatuses = 100\n"
        "[tool.specfirst.test.min_coverage.orders]\noperations = 80\n"
        "[tool.specfirst.test.services.orders]\nrequires = []\n"
        "[tool.other]\nmin_coverage = 1\n"
    )
    assert without_floors(text) == (
        "[tool.specfirst.test]\nmax_examples = 3\n"
        "[tool.specfirst.test.services.orders]\nrequires = []\n"
        "[tool.other]\nmin_coverage = 1\n"
    )
