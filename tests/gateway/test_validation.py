"""Optional edge validation against the merged spec (off by default)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from codegen.core.problems.schema import problem_violation
from codegen.core.strictness import REPEATED_DETAIL, UNKNOWN_DETAIL
from gateway.compose import compose, from_dict
from gateway.validation import RequestValidator, build_validator
from tests.gateway.conftest import Proc, start_gateway, write_tree

SPEC = """
openapi: 3.1.0
info: {title: items, version: "1"}
paths:
  /echo/{id}:
    post:
      operationId: createThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
        - {name: X-Tenant, in: header, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses: {'200': {description: ok}}
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tags: {type: array, items: {type: string}}
"""

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things/{id}": {
            "post": {
                "operationId": "createThing",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    },
                    {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    },
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}},
            }
        }
    },
}


def validator() -> RequestValidator:
    document = compose([from_dict("t", DOCUMENT)]).document
    assert document is not None
    return build_validator(document, "/things/{id}", "post")


@pytest.mark.parametrize(
    ("params", "query", "body", "errors"),
    [
        ({"id": "3"}, b"flag=true", b'{"name": "x"}', []),
        ({"id": "0"}, b"", b'{"name": "x"}',
         [{"parameter": "id", "in": "path", "detail": "0 is less than the minimum of 1"}]),
        ({"id": "a"}, b"", b'{"name": "x"}',
         [{"parameter": "id", "in": "path", "detail": "'a' is not of type 'integer'"}]),
        ({"id": "3"}, b"flag=maybe", b'{"name": "x"}',
         [{"parameter": "flag", "in": "query", "detail": "'maybe' is not of type 'boolean'"}]),
        ({"id": "3"}, b"", b'{"name": 3}',
         [{"pointer": "/name", "detail": "3 is not of type 'string'"}]),
        ({"id": "3"}, b"", b"{}", [{"pointer": "", "detail": "'name' is a required property"}]),
        ({"id": "3"}, b"", b"{", [{"pointer": "", "detail": "The request body is not valid JSON: "
                                  "unexpected end of data: line 1 column 2 (char 1)"}]),
        ({"id": "3"}, b"", b"", [{"pointer": "", "detail": "A request body is required."}]),
        ({"id": "3"}, b"", b"[" * 100_000,
         [{"pointer": "", "detail": "The request body nests JSON deeper than 64 levels."}]),
    ],
)  # fmt: skip
def test_request_checks(
    params: dict[str, str], query: bytes, body: bytes, errors: list[dict[str, str]]
) -> None:
    found = validator().check(params, query, {}, body, "application/json")
    assert found == errors


@pytest.fixture
def gateway(tmp_path: Path, upstream: Proc) -> Proc:
    write_tree(
        tmp_path,
        {
            "specs/items.yaml": SPEC,
            "specfirst.toml": f"""
                [services.items]
                upstream = "{upstream.url}"
                [gateway]
                validate_requests = true
            """,
        },
    )
    return start_gateway(tmp_path)


@pytest.mark.e2e
def test_gateway_refuses_invalid_requests_with_400(gateway: Proc) -> None:
    try:
        with httpx.Client(base_url=gateway.url) as client:
            good = client.post("/echo/3?limit=5", json={"name": "x"}, headers={"X-Tenant": "t"})
            assert good.status_code == 200
            assert good.json()["body_size"] == len(b'{"name":"x"}')
            bad = client.post("/echo/3?limit=50", json={"tags": [1]})
            assert bad.status_code == 400
            problem = bad.json()
            assert problem["code"] == "invalid_request"
            assert problem_violation(problem) is None
            assert problem["errors"] == [
                {"parameter": "limit", "in": "query",
                 "detail": "50 is greater than the maximum of 10"},
                {"header": "X-Tenant", "detail": "This parameter is required."},
                {"pointer": "", "detail": "'name' is a required property"},
                {"pointer": "/tags/0", "detail": "1 is not of type 'string'"},
            ]  # fmt: skip
            # the project's strictness policy (default: reject), the rule the services use
            strict = client.post(
                "/echo/3?limit=1&limit=2&trace=1", json={"name": "x"}, headers={"X-Tenant": "t"}
            )
            assert [(e["parameter"], e["detail"]) for e in strict.json()["errors"]] == [
                ("limit", REPEATED_DETAIL.format(count=2)),
                ("trace", UNKNOWN_DETAIL),
            ]
    finally:
        gateway.stop()


TREE = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/trees": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Strict"}}
                    },
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Tree": {
                "$id": "https://example.com/tree",
                "$dynamicAnchor": "node",
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}},
            },
            "Strict": {
                "$id": "https://example.com/strict-tree",
                "$dynamicAnchor": "node",
                "$ref": "tree",
                "unevaluatedProperties": False,
            },
        }
    },
}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (b'{"children": [{"children": []}]}', []),
        (b'{"children": [{"daat": 1}]}', [{"pointer": "/children/0", "detail": "Unevaluated "
                                          "properties are not allowed ('daat' was unexpected)"}]),
    ],
)  # fmt: skip
def test_edge_validation_follows_ids_and_dynamic_references(
    body: bytes, errors: list[dict[str, str]]
) -> None:
    """$ref "tree" resolves against Strict's $id, and $dynamicRef in Tree finds
    Strict's $dynamicAnchor first, so a misspelled nested member is refused."""
    document = compose([from_dict("t", TREE)]).document
    assert document is not None
    found = build_validator(document, "/trees", "post").check({}, b"", {}, body, "application/json")
    assert found == errors


UNREADABLE = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/x": {
            "post": {
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"$ref": "https://example.com/q.json"}},
                    {"name": "n", "in": "query", "schema": {"type": "integer"}},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "a": {"$ref": "other.json#/A"},
                                    "b": {"type": "string"},
                                },
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def test_a_schema_that_cannot_be_resolved_is_skipped_with_a_warning_not_a_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """References to documents outside the merged spec (never downloaded) leave
    those checks to the service; the checks that can be made still are."""
    check = build_validator(UNREADABLE, "/x", "post").check
    with caplog.at_level("WARNING", logger="specfirst.gateway"):
        assert check({}, b"q=1&n=2", {}, b'{"a": 1}', "application/json") == []
        assert check({}, b"q=1&n=x", {}, b'{"b": 2}', "application/json") == [
            {"parameter": "n", "in": "query", "detail": "'x' is not of type 'integer'"},
            {"pointer": "/b", "detail": "2 is not of type 'string'"},
        ]  # without "a", the body's schema needs no unresolvable reference
    skipped = [r.getMessage() for r in caplog.records if "cannot make" in r.getMessage()]
    assert any("https://example.com/q.json" in message for message in skipped), skipped
