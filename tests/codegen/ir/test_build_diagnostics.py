"""SF2xx: what the IR build reports, and that it goes on where it can."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codegen.core.diagnostics import Severity
from codegen.core.ir.build import build_api
from codegen.core.ir.model import Schema
from codegen.core.spec.loader import load_spec
from tests.codegen.ir.helpers import build, spec


@pytest.mark.parametrize("key", ["paths", "components", "info"])
def test_unusable_top_level_is_sf202_and_no_api(tmp_path: Path, key: str) -> None:
    doc: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, key: [1]}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc))
    loaded, _ = load_spec(path)
    assert loaded is not None
    api, diagnostics = build_api(loaded)
    assert api is None
    assert [(d.code, d.message, d.location.pointer) for d in diagnostics] == [
        ("SF202", f"'{key}' must be an object", f"/{key}")
    ]


def test_bad_objects_are_skipped_with_sf202(tmp_path: Path) -> None:
    api, diagnostics = build(
        tmp_path,
        spec(
            paths={
                "/a": {
                    "get": {
                        "parameters": [{"in": "query"}, {"name": "x", "in": "body"}, 7],
                        "requestBody": [],
                        "responses": {"200": "ok", "201": {"description": "made"}},
                    },
                    "put": "nope",
                },
                "/b": 5,
            }
        ),
    )
    assert [(d.code, d.location.pointer, d.message) for d in diagnostics] == [
        ("SF202", "/paths/~1b", "a path item must be an object"),
        ("SF202", "/paths/~1a/get/parameters/0", "a parameter must be an object with a 'name'"),
        (
            "SF202",
            "/paths/~1a/get/parameters/1",
            "parameter 'in' must be path, query, header or cookie, not 'body'",
        ),
        ("SF202", "/paths/~1a/get/parameters/2", "a parameter must be an object with a 'name'"),
        ("SF202", "/paths/~1a/get/requestBody", "a request body must be an object"),
        ("SF202", "/paths/~1a/get/responses/200", "a response must be an object"),
        ("SF202", "/paths/~1a/put", "an operation must be an object"),
    ]
    [operation] = api.operations
    assert operation.parameters == ()
    assert operation.request_body is None
    assert [r.status for r in operation.responses] == ["201"]


def test_parameter_without_schema_is_sf203(tmp_path: Path) -> None:
    api, diagnostics = build(
        tmp_path,
        spec(
            paths={"/a": {"get": {"parameters": [{"name": "q", "in": "query"}], "responses": {}}}}
        ),
    )
    [diagnostic] = diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("SF203", Severity.WARNING)
    assert (
        diagnostic.message
        == "parameter 'q' has neither 'schema' nor 'content'; any value is accepted"
    )
    assert api.operations[0].parameters[0].schema is None


def test_non_object_schema_is_sf201(tmp_path: Path) -> None:
    api, diagnostics = build(
        tmp_path, spec(schemas={"A": {"type": "object", "properties": {"b": 5}}})
    )
    [diagnostic] = diagnostics
    assert (diagnostic.code, diagnostic.severity, diagnostic.location.pointer) == (
        "SF201",
        Severity.WARNING,
        "/components/schemas/A/properties/b",
    )
    assert diagnostic.message == "a schema must be an object (or, in 3.1, a boolean)"
    accepts_anything = api.schemas["A"].properties[0].schema
    assert isinstance(accepts_anything, Schema) and accepts_anything.types == ()
