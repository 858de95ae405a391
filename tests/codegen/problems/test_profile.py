"""The problem profile: catalogue, builder, schema, the generated file and the contract check."""

from __future__ import annotations

import json

import pytest

from codegen.core.problems import CATALOG, body_error, code_for_status, problem
from codegen.core.problems.document import header_error, parameter_error, request_error
from codegen.core.problems.schema import PROBLEM_REF, problem_violation
from codegen.core.spec.loader import load_spec
from codegen.generator.problems import problem_yaml
from codegen.verify.contract.problem_check import PROBLEM_MEDIA as PROBLEM
from codegen.verify.contract.problem_check import is_oauth_error, profile_violation
from tests.conftest import REPO_ROOT


def test_a_problem_takes_type_and_title_from_its_code() -> None:
    document = problem(
        "invalid_request",
        "The request is invalid (1 error(s)).",
        instance="/items",
        request_id="abc",
        errors=[body_error(["items", 0, "sku"], "Required.")],
    )
    assert document == {
        "type": "/_specfirst/problems#invalid_request",
        "title": "Invalid request",
        "status": 400,
        "detail": "The request is invalid (1 error(s)).",
        "instance": "/items",
        "code": "invalid_request",
        "request_id": "abc",
        "errors": [{"pointer": "/items/0/sku", "detail": "Required."}],
    }
    assert problem_violation(document) is None


def test_an_uncatalogued_code_is_refused() -> None:
    with pytest.raises(KeyError, match="made_up"):
        problem("made_up", "x")


@pytest.mark.parametrize(
    ("location", "tokens", "entry"),
    [
        ("body", ["a/b", "~"], {"pointer": "/a~1b/~0"}),
        ("body", [], {"pointer": ""}),
        ("query", ["limit"], {"parameter": "limit", "in": "query"}),
        ("query", ["ids", 1], {"parameter": "ids", "in": "query", "pointer": "/1"}),
        ("path", ["id"], {"parameter": "id", "in": "path"}),
        ("cookie", ["s"], {"parameter": "s", "in": "cookie"}),
        ("header", ["If-Match"], {"header": "If-Match"}),
    ],
)
def test_error_entries_locate_the_part_of_the_request(
    location: str, tokens: list[str | int], entry: dict[str, str]
) -> None:
    assert request_error(location, tokens, "bad") == {**entry, "detail": "bad"}


def test_parameter_and_header_entries_refuse_the_wrong_location() -> None:
    with pytest.raises(ValueError, match="header_error"):
        parameter_error("X", "header", "bad")
    with pytest.raises(ValueError, match="name"):
        request_error("query", [], "bad")
    assert header_error("X-Trace", "bad", [0]) == {
        "header": "X-Trace",
        "pointer": "/0",
        "detail": "bad",
    }


def test_every_status_has_a_generic_code() -> None:
    assert code_for_status(409) == "conflict"
    assert code_for_status(418) == "bad_request"
    assert code_for_status(599) == "internal_error"
    assert all(CATALOG[code].code == code for code in CATALOG)
    assert all(kind.type.endswith(f"#{kind.code}") for kind in CATALOG.values())


@pytest.mark.parametrize(
    "broken",
    [
        {"pointer": "#/body/slug", "detail": "x"},  # not an RFC 6901 pointer
        {"pointer": "/a", "detail": "x", "where": "body"},  # unknown member
        {"parameter": "a", "in": "header", "detail": "x"},  # headers are `header`
        {"pointer": "/a"},  # no detail
    ],
)
def test_the_schema_refuses_malformed_error_entries(broken: dict[str, str]) -> None:
    document = problem("invalid_request", "x", instance="/", request_id="r", errors=[broken])
    assert problem_violation(document) is not None


def test_the_schema_requires_the_profile_members() -> None:
    document = problem("not_found", "x", instance="/a", request_id="r")
    for member in ("type", "title", "status", "detail", "instance", "code", "request_id"):
        assert problem_violation({k: v for k, v in document.items() if k != member}), member


def test_the_committed_profile_file_is_the_generated_one() -> None:
    path = REPO_ROOT / "specs" / PROBLEM_REF.split("#")[0]
    assert path.read_text(encoding="utf-8") == problem_yaml()
    loaded, diagnostics = load_spec(str(path))
    assert loaded is not None and not diagnostics


@pytest.mark.parametrize(
    ("status", "content_type", "content", "reason"),
    [
        (404, "text/html", b"<h1>", "a 404 answer is text/html, not application/problem+json"),
        (400, "application/problem+json", b"{", "the problem document is not JSON"),
        (400, "application/problem+json", b'{"status": 400}', "does not match the profile"),
        (
            409,
            "application/problem+json",
            b'{"type": "/_specfirst/problems#not_found", "title": "t", "status": 404, '
            b'"detail": "d", "instance": "/", "code": "not_found", "request_id": "r"}',
            "the problem says status 404 on a 409 answer",
        ),
        (
            404,
            "application/problem+json",
            b'{"type": "about:blank", "title": "t", "status": 404, '
            b'"detail": "d", "instance": "/", "code": "not_found", "request_id": "r"}',
            "is not '/_specfirst/problems#not_found'",
        ),
        (
            404,
            "application/problem+json",
            b'{"type": "x", "title": "t", "status": 404, '
            b'"detail": "d", "instance": "/", "code": "gone_fishing", "request_id": "r"}',
            "'gone_fishing' is not catalogued",
        ),
    ],
)
def test_the_contract_check_names_what_breaks_the_profile(
    status: int, content_type: str, content: bytes, reason: str
) -> None:
    found = profile_violation(status, content_type, content)
    assert found is not None and reason in found


def test_the_contract_check_accepts_a_profile_problem_and_a_bodyless_head() -> None:
    good = problem("not_found", "d", instance="/a", request_id="r")
    assert (
        profile_violation(404, "application/problem+json; charset=utf-8", json.dumps(good).encode())
        is None
    )
    assert profile_violation(404, "application/problem+json", b"", has_body=False) is None


def test_an_oauth_error_passes_only_where_the_operation_declares_json() -> None:
    declared = {"content": {"application/json": {}, "application/problem+json": {}}}
    oauth = b'{"error": "invalid_grant", "error_description": "no"}'
    assert is_oauth_error("application/json", oauth, declared)
    assert not is_oauth_error("application/json", oauth, {"content": {PROBLEM: {}}})
    assert not is_oauth_error("application/json", b'{"detail": "x"}', declared)
    assert not is_oauth_error("text/plain", oauth, declared)
    assert not is_oauth_error("application/json", b"not json", declared)
