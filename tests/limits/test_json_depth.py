"""The JSON nesting-depth rule (codegen.core.limits) and the services' parser that applies it."""

from __future__ import annotations

import pytest

from codegen.core.limits import DEFAULT_LIMITS, json_depth_exceeded
from tests.services.conftest import API_KEY, Api
from tests.services.problems import assert_problem


@pytest.mark.parametrize(
    ("text", "limit", "exceeded"),
    [
        (b"[]", 1, False),
        (b"[[]]", 1, True),
        (b'{"a": {"b": [1, 2]}, "c": []}', 3, False),
        (b'{"a": {"b": [1, [2]]}}', 3, True),
        (b'["[[[[", "\\"[[[["]', 1, False),  # brackets inside strings, escaped quotes
        (b"[" * 100_000, 64, True),  # unclosed: still measured, the parser rejects it after
        (b"[1]" * 1000, 1, False),  # many brackets, shallow
    ],
)
def test_depth_is_measured_outside_strings(text: bytes, limit: int, exceeded: bool) -> None:
    assert json_depth_exceeded(text, limit) is exceeded


@pytest.mark.django_db
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_a_service_refuses_deep_json_with_a_400_problem(opener: str) -> None:
    body = opener * 100_000
    response = Api().call(
        "POST", "/categories", headers=API_KEY, raw=body, content_type="application/json"
    )
    problem = assert_problem(response, 400)
    depth = DEFAULT_LIMITS.json_depth
    detail = f"The body nests JSON arrays and objects deeper than {depth} levels."
    assert problem["errors"] == [{"pointer": "", "detail": detail}]


@pytest.mark.django_db
def test_json_at_the_depth_limit_reaches_validation() -> None:
    depth = DEFAULT_LIMITS.json_depth
    body = "[" * depth + "]" * depth
    response = Api().call(
        "POST", "/categories", headers=API_KEY, raw=body, content_type="application/json"
    )
    problem = assert_problem(response, 400)
    assert "deeper" not in str(problem["errors"]), problem  # parsed: the schema refuses it
