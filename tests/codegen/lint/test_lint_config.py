"""``[tool.specfirst.lint]``: enable, disable and re-grade rules; reject typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.core.diagnostics import Severity
from codegen.core.errors import UserError
from codegen.designer.lint.config import LintConfig, find_pyproject, load_config, parse_config
from tests.codegen.lint.helpers import WriteSpec, lint, only

NO_SUMMARY = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /a:
    get: {operationId: getA, responses: {"200": {description: ok}}}
"""


def test_defaults_turn_opt_in_rules_off() -> None:
    config = LintConfig()
    assert config.severity_of("SF304") is Severity.WARNING
    assert config.severity_of("SF321") is None


def test_disable_by_id_and_name(write_spec: WriteSpec) -> None:
    for key in ("SF304", "summary-missing", "sf304"):
        config = parse_config({"disable": [key]}, "test")
        assert only(lint(write_spec, NO_SUMMARY, config), "SF304") == []


def test_regrade_changes_severity(write_spec: WriteSpec) -> None:
    config = parse_config({"severity": {"SF304": "error"}}, "test")
    (finding,) = only(lint(write_spec, NO_SUMMARY, config), "SF304")
    assert finding.severity is Severity.ERROR


def test_regrade_to_off_and_enable_opt_in(write_spec: WriteSpec) -> None:
    config = parse_config({"severity": {"summary-missing": "off"}, "enable": ["SF321"]}, "t")
    diagnostics = lint(write_spec, NO_SUMMARY, config)
    assert only(diagnostics, "SF304") == []
    assert [d.severity for d in only(diagnostics, "SF321")] == [Severity.INFO]


def test_default_config_leaves_opt_in_rule_out(write_spec: WriteSpec) -> None:
    assert only(lint(write_spec, NO_SUMMARY, LintConfig()), "SF321") == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"disabel": ["SF304"]}, "t: unknown key(s) disabel; expected disable, enable, severity"),
        ({"disable": ["SF999"]}, "t: disable names unknown rule 'SF999'"),
        ({"disable": "SF304"}, "t: 'disable' must be a list of rule ids or names"),
        ({"severity": {"SF304": "fatal"}}, "t: severity of SF304 is 'fatal'; expected one of"),
        (
            {"disable": ["SF304"], "severity": {"SF304": "error"}},
            "t: SF304 is both disabled and re-graded; choose one",
        ),
    ],
)
def test_bad_configuration_is_a_clear_error(table: dict[str, object], message: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_config(table, "t")
    assert str(raised.value).startswith(message)


def test_load_config_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.specfirst.lint]\ndisable = ["SF315"]\n'
        '[tool.specfirst.lint.severity]\nSF305 = "error"\n',
        encoding="utf-8",
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    found = find_pyproject(nested)
    assert found == tmp_path / "pyproject.toml"
    config = load_config(found)
    assert config.severity_of("SF315") is None
    assert config.severity_of("SF305") is Severity.ERROR


def test_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_config(path).severities == LintConfig().severities


def test_broken_pyproject_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.specfirst.lint\n", encoding="utf-8")
    with pytest.raises(UserError, match="cannot read lint configuration"):
        load_config(path)
