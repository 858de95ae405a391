"""The query strictness rule (codegen.core.strictness) and its configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.core.project import ConfigError
from codegen.core.strictness import (
    DEFAULT_POLICY,
    REPEATED_DETAIL,
    UNKNOWN_DETAIL,
    QueryParameter,
    QueryPolicy,
    policy_from_table,
    query_violations,
    validation_policy,
)

DECLARED = (
    QueryParameter("limit"),
    QueryParameter.of("ids", style="form", explode=True, kinds=["array"], members=()),
    QueryParameter.of("tags", style="form", explode=False, kinds=["array"], members=()),
    QueryParameter.of("filter", style="deepObject", explode=True, kinds=["object"], members=()),
)


def refused(keys: list[str], policy: QueryPolicy = DEFAULT_POLICY) -> list[tuple[str, str]]:
    return [(v.parameter, v.detail) for v in query_violations(keys, DECLARED, policy)]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([], []),
        (["limit", "ids", "ids", "tags", "filter[a]", "filter[b]"], []),
        (["emial"], [("emial", UNKNOWN_DETAIL)]),
        (["limit", "limit"], [("limit", REPEATED_DETAIL.format(count=2))]),
        (["tags", "tags", "tags"], [("tags", REPEATED_DETAIL.format(count=3))]),
        (["filter[a]", "filter[a]"], [("filter[a]", REPEATED_DETAIL.format(count=2))]),
        (["filter"], [("filter", UNKNOWN_DETAIL)]),  # a deepObject is read from name[key]
        (
            ["y", "limit", "x", "limit", "y"],
            [
                ("y", UNKNOWN_DETAIL),
                ("limit", REPEATED_DETAIL.format(count=2)),
                ("x", UNKNOWN_DETAIL),
            ],
        ),
    ],
)
def test_the_default_policy_rejects_unknown_and_repeated_keys(
    keys: list[str], expected: list[tuple[str, str]]
) -> None:
    assert refused(keys) == expected


def test_each_setting_switches_its_own_check_off() -> None:
    keys = ["limit", "limit", "x"]
    assert refused(keys, QueryPolicy(unknown_query="ignore")) == [
        ("limit", REPEATED_DETAIL.format(count=2))
    ]
    assert refused(keys, QueryPolicy(repeated_query="ignore")) == [("x", UNKNOWN_DETAIL)]
    assert refused(keys, QueryPolicy("ignore", "ignore")) == []


def test_an_exploded_form_object_claims_its_members_and_a_free_form_one_every_key() -> None:
    point = QueryParameter.of("point", style="form", explode=True, kinds=["object"], members=["x"])
    assert [v.parameter for v in query_violations(["x", "y", "point"], (point,))] == [
        "y",
        "point",
    ]
    free = QueryParameter.of("rest", style="form", explode=True, kinds=["object"], members=())
    assert query_violations(["anything", "else"], (QueryParameter("limit"), free)) == []


def test_a_path_key_suffix_names_query_parameters() -> None:
    assert query_violations(["action"], (), selectors=["action"]) == []
    assert [v.parameter for v in query_violations(["action"], ())] == ["action"]


def test_the_policy_is_read_from_the_validation_table(tmp_path: Path) -> None:
    assert validation_policy(tmp_path) == QueryPolicy("reject", "reject")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst.validation]\nunknown_query = "ignore"\n', encoding="utf-8"
    )
    assert validation_policy(tmp_path) == QueryPolicy("ignore", "reject")
    (tmp_path / "specfirst.toml").write_text(
        '[validation]\nrepeated_query = "ignore"\n', encoding="utf-8"
    )
    assert validation_policy(tmp_path) == QueryPolicy("reject", "ignore")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"validation": "strict"}, "must be a table"),
        ({"validation": {"unknown_query": "warn"}}, "unknown_query must be one of"),
        ({"validation": {"repeated_query": True}}, "repeated_query must be one of"),
        ({"validation": {"unknown_body": "reject"}}, "no setting 'unknown_body'"),
    ],
)
def test_a_bad_setting_is_a_config_error(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        policy_from_table(table)
