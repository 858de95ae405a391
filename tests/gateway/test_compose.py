"""Composition of several specs: conflicts are exact diagnostics citing both files."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from codegen.core.diagnostics import Diagnostic
from gateway.compose import compose, from_dict
from gateway.compose.load import compose_specs
from gateway.config import load_config


def write(root: Path, name: str, text: str) -> None:
    path = root / "specs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def compose_dir(root: Path) -> tuple[dict[str, Any] | None, list[str]]:
    composition = compose_specs(load_config(root))
    return composition.document, [d.format() for d in composition.diagnostics]


HEADER = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
"""


def test_same_method_and_path_in_two_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    op = (
        "  /items:\n    get:\n      operationId: {id}\n"
        "      responses: {{'200': {{description: ok}}}}\n"
    )
    write(tmp_path, "a.yaml", HEADER + op.format(id="listA"))
    write(tmp_path, "b.yaml", HEADER + op.format(id="listB"))
    document, diagnostics = compose_dir(tmp_path)
    assert document is None
    assert diagnostics == [
        "specs/b.yaml:5:5 #/paths/~1items/get: error SF501: GET /items is declared by "
        "specs/a.yaml:5:5 #/paths/~1items/get and by specs/b.yaml:5:5 #/paths/~1items/get "
        "(hint: each method and path must belong to exactly one service)"
    ]


def test_templates_differing_only_in_names_are_ambiguous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "a.yaml",
        HEADER + "  /items/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
    )
    write(
        tmp_path,
        "b.yaml",
        HEADER + "  /items/{sku}:\n    delete:\n      responses: {'204': {description: ok}}\n",
    )
    document, diagnostics = compose_dir(tmp_path)
    assert document is None
    assert diagnostics == [
        "specs/b.yaml:5:5 #/paths/~1items~1{sku}/delete: error SF502: DELETE /items/{sku} in "
        "specs/b.yaml:5:5 #/paths/~1items~1{sku}/delete matches the same paths as /items/{id} in "
        "specs/a.yaml:5:5 #/paths/~1items~1{id}/get (hint: templates that differ only in parameter "
        "names are ambiguous; use the same parameter names or a literal segment)"
    ]


def test_literal_beside_template_is_fine_and_methods_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    param = "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
    write(
        tmp_path,
        "a.yaml",
        HEADER
        + "  /items/{id}:\n    get:\n"
        + param
        + "      responses: {'200': {description: ok}}\n",
    )
    write(
        tmp_path,
        "b.yaml",
        HEADER + "  /items/search:\n    get:\n      responses: {'200': {description: ok}}\n"
        "  /items/{id}:\n    delete:\n" + param + "      responses: {'204': {description: ok}}\n",
    )
    document, diagnostics = compose_dir(tmp_path)
    assert diagnostics == []
    assert document is not None
    assert list(document["paths"]) == ["/items/search", "/items/{id}"]
    item = document["paths"]["/items/{id}"]
    assert (item["get"]["x-specfirst-service"], item["delete"]["x-specfirst-service"]) == ("a", "b")
    validate(document)


def test_duplicate_operation_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "a.yaml",
        HEADER
        + "  /a:\n    get:\n      operationId: list\n      responses: {'200': {description: ok}}\n",
    )
    write(
        tmp_path,
        "b.yaml",
        HEADER
        + "  /b:\n    get:\n      operationId: list\n      responses: {'200': {description: ok}}\n",
    )
    _, diagnostics = compose_dir(tmp_path)
    assert diagnostics == [
        "specs/b.yaml:6:7 #/paths/~1b/get/operationId: error SF503: operationId 'list' of GET /b "
        "is already used by GET /a in specs/a.yaml:6:7 #/paths/~1a/get/operationId "
        "(hint: operationIds must be unique across all specs)"
    ]


def spec(
    paths: dict[str, Any], components: dict[str, Any], version: str = "3.1.0"
) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": components,
    }


def get_returning(ref: str, op_id: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": ref}}}
    return {
        "get": {
            "operationId": op_id,
            "responses": {"200": {"description": "ok", "content": content}},
        }
    }


def test_identical_components_are_shared_and_different_ones_namespaced() -> None:
    money = {"type": "object", "properties": {"amount": {"type": "integer"}}}
    a = spec(
        {"/a": get_returning("#/components/schemas/Order", "a")},
        {
            "schemas": {
                "Money": money,
                "Item": {"type": "string"},
                "Order": {
                    "type": "object",
                    "properties": {
                        "item": {"$ref": "#/components/schemas/Item"},
                        "total": {"$ref": "#/components/schemas/Money"},
                    },
                },
            }
        },
    )
    b = spec(
        {"/b": get_returning("#/components/schemas/Order", "b")},
        {
            "schemas": {
                "Money": money,
                "Item": {"type": "integer"},
                "Order": {
                    "type": "object",
                    "properties": {
                        "item": {"$ref": "#/components/schemas/Item"},
                        "total": {"$ref": "#/components/schemas/Money"},
                    },
                },
            }
        },
    )
    result = compose([from_dict("b", b), from_dict("a", a)])
    assert result.document is not None
    schemas = result.document["components"]["schemas"]
    assert list(schemas) == ["Money", "a_Item", "a_Order", "b_Item", "b_Order"]
    assert schemas["b_Order"]["properties"] == {
        "item": {"$ref": "#/components/schemas/b_Item"},
        "total": {"$ref": "#/components/schemas/Money"},
    }
    response = result.document["paths"]["/a"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/a_Order"
    }
    assert [(d.code, str(d.severity), d.message) for d in result.diagnostics] == [
        (
            "SF504",
            "warning",
            "components/schemas/Item differs between specs/a.yaml:1:1 "
            "#/components/schemas/Item and specs/b.yaml:1:1 #/components/schemas/Item; "
            "namespaced as a_Item, b_Item",
        ),
        (
            "SF504",
            "warning",
            "components/schemas/Order differs between specs/a.yaml:1:1 "
            "#/components/schemas/Order and specs/b.yaml:1:1 #/components/schemas/Order; "
            "namespaced as a_Order, b_Order",
        ),
    ]
    validate(result.document)


def test_security_schemes_of_the_same_name_must_agree() -> None:
    a = spec(
        {"/a": get_returning("#/components/schemas/X", "a")},
        {
            "schemas": {"X": {}},
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        },
    )
    b = spec(
        {"/b": get_returning("#/components/schemas/X", "b")},
        {
            "schemas": {"X": {}},
            "securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "key"}},
        },
    )
    result = compose([from_dict("a", a), from_dict("b", b)])
    assert result.document is None
    assert [d.format() for d in result.diagnostics] == [
        "specs/b.yaml:1:1 #/components/securitySchemes/key: error SF505: security scheme 'key' is "
        "defined differently in specs/a.yaml:1:1 #/components/securitySchemes/key and "
        "specs/b.yaml:1:1 #/components/securitySchemes/key (hint: security schemes of the same "
        "name must be identical across specs)"
    ]


def test_namespaced_name_that_already_exists_is_an_error() -> None:
    a = spec({}, {"schemas": {"Item": {"type": "string"}, "a_Item": {"type": "null"}}})
    b = spec({}, {"schemas": {"Item": {"type": "integer"}}})
    result = compose([from_dict("a", a), from_dict("b", b)])
    assert (
        "SF507",
        "components/schemas/Item must be namespaced as a_Item, but "
        "components/schemas/a_Item already exists",
    ) in [(d.code, d.message) for d in result.diagnostics]
    assert result.document is None


def test_openapi_30_inputs_are_converted_to_31() -> None:
    a = spec(
        {
            "/a": {
                "get": {
                    "operationId": "a",
                    "parameters": [
                        {
                            "name": "n",
                            "in": "query",
                            "schema": {"type": "integer", "nullable": True},
                            "example": 1,
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        {
            "schemas": {
                "Price": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "example": 5},
                "Ref": {"allOf": [{"$ref": "#/components/schemas/Price"}], "nullable": True},
                "Enum": {"type": "string", "enum": ["a"], "nullable": True},
                "Open": {"maximum": 3, "exclusiveMaximum": False},
            }
        },
        version="3.0.3",
    )
    result = compose([from_dict("a", a)])
    assert result.document is not None
    schemas = result.document["components"]["schemas"]
    assert schemas["Price"] == {"type": "number", "exclusiveMinimum": 0, "examples": [5]}
    assert schemas["Ref"] == {
        "anyOf": [{"allOf": [{"$ref": "#/components/schemas/Price"}]}, {"type": "null"}]
    }
    assert schemas["Enum"] == {"type": ["string", "null"], "enum": ["a", None]}
    assert schemas["Open"] == {"maximum": 3}
    parameter = result.document["paths"]["/a"]["get"]["parameters"][0]
    assert parameter == {
        "name": "n",
        "in": "query",
        "schema": {"type": ["integer", "null"]},
        "example": 1,
    }
    validate(result.document)


def test_path_parameters_and_global_security_are_pushed_into_operations() -> None:
    a = spec(
        {
            "/items/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {"operationId": "get", "responses": {"200": {"description": "ok"}}},
                "delete": {
                    "operationId": "del",
                    "security": [],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {"204": {"description": "ok"}},
                },
            }
        },
        {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    )
    a["security"] = [{"bearer": []}]
    result = compose([from_dict("a", a)])
    assert result.document is not None
    item = result.document["paths"]["/items/{id}"]
    assert item["get"]["security"] == [{"bearer": []}]
    assert item["get"]["parameters"][0]["schema"] == {"type": "string"}
    assert item["delete"]["security"] == []
    assert item["delete"]["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ]
    assert "parameters" not in item
    validate(result.document)


@pytest.mark.parametrize(
    ("extension", "code", "message"),
    [
        (
            {"x-specfirst-timeout": "soon"},
            "SF508",
            "x-specfirst-timeout must be a positive number of seconds or a string like '500ms' or "
            "'2s', got 'soon'",
        ),
        (
            {"security": [{"nope": []}]},
            "SF509",
            "GET /a requires the security scheme 'nope', which no spec defines in "
            "components/securitySchemes",
        ),
    ],
)
def test_operation_level_errors(extension: dict[str, Any], code: str, message: str) -> None:
    operation = {"operationId": "a", "responses": {"200": {"description": "ok"}}, **extension}
    result = compose([from_dict("a", spec({"/a": {"get": operation}}, {}))])
    assert [(d.code, d.message) for d in result.diagnostics] == [(code, message)]


def test_unverifiable_scheme_is_a_warning_and_reserved_paths_are_errors() -> None:
    a = spec(
        {
            "/metrics": {
                "get": {"security": [{"basic": []}], "responses": {"200": {"description": "ok"}}}
            }
        },
        {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}},
    )
    result = compose([from_dict("a", a)])
    found = sorted((d.code, str(d.severity)) for d in result.diagnostics)
    assert found == [("SF510", "warning"), ("SF511", "error")]


def test_templates_shadowed_by_gateway_paths_are_warnings() -> None:
    get = {"get": {"responses": {"200": {"description": "ok"}}}}
    parameter = {"name": "p", "in": "path", "required": True, "schema": {"type": "string"}}
    a = spec({"/{p}": {"parameters": [parameter], **get}, "/things": get}, {})
    result = compose([from_dict("a", a)])
    assert result.document is not None
    codes = sorted({(d.code, str(d.severity)) for d in result.diagnostics})
    assert codes == [("SF511", "warning")]
    messages = {d.message for d in result.diagnostics}
    assert (
        "/{p} would match /healthz, which the gateway serves itself; that path never "
        "reaches the service" in messages
    )


def test_bad_template_is_reported() -> None:
    a = spec({"/items/{id": {"get": {"responses": {"200": {"description": "ok"}}}}}, {})
    result = compose([from_dict("a", a)])
    assert [(d.code, d.location.pointer, d.message) for d in result.diagnostics] == [
        (
            "SF506",
            "/paths/~1items~1{id",
            "invalid path template '/items/{id': unbalanced braces in segment '{id'",
        )
    ]


def test_prefix_mounts_a_service(tmp_path: Path) -> None:
    a = spec({"/items": {"get": {"responses": {"200": {"description": "ok"}}}}}, {})
    result = compose([from_dict("a", a, prefix="/shop")])
    assert result.document is not None
    assert list(result.document["paths"]) == ["/shop/items"]
    assert result.entries[0].upstream_template == "/items"


def test_output_is_deterministic_whatever_the_input_order() -> None:
    specs = [
        from_dict(
            name,
            spec(
                {f"/{name}/{{id}}": get_returning("#/components/schemas/T", name)},
                {"schemas": {"T": {"type": "string", "title": name}}},
            ),
        )
        for name in ("c", "a", "b")
    ]
    first = compose(specs)
    second = compose(list(reversed(specs)))
    dump = json.dumps(first.document)
    assert dump == json.dumps(second.document)
    assert [d.format() for d in first.diagnostics] == [d.format() for d in second.diagnostics]


def test_no_specs_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    document, diagnostics = compose_dir(tmp_path)
    assert document is None
    assert diagnostics == [
        "specs:1:1 #: error SF500: no OpenAPI specs (*.yaml, *.yml, *.json) found in specs "
        "(hint: put one spec per service in the specs folder or pass --specs)"
    ]


def _unused(d: Diagnostic) -> None:  # keeps the import used for type checking only
    del d


def _path_op(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    parameter = {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema or {"type": "string"},
    }
    return {"get": {"parameters": [parameter], "responses": {"200": {"description": "ok"}}}}


@pytest.mark.parametrize(
    ("first", "second", "ambiguous"),
    [
        (("/c/{a}", {"enum": ["red", "blue"]}), ("/c/{b}", {"enum": ["blue"]}), True),
        (("/c/{a}", {"enum": ["red"]}), ("/c/{b}", {"enum": ["blue"]}), False),
        (("/f/x{a}.gz", None), ("/f/{b}y.gz", None), True),
        (("/f/{a}.tar.gz", None), ("/f/{b}.gz", None), False),  # more literal characters first
        (("/f/near.{a}", None), ("/f/{b}.x", None), False),
        (("/f/{a}.json", None), ("/f/{b}.xml", None), False),
        (("/f/v{a}", None), ("/f/w{b}", None), False),
        (("/i/{a}", {"type": "integer"}), ("/i/{b}", {"type": "string", "format": "uuid"}), False),
        (("/x/{a}", {"enum": ["1"]}), ("/x/{b}", {"type": "integer"}), False),  # enum first
    ],
)
def test_equal_precedence_overlaps_are_ambiguous(
    first: tuple[str, Any], second: tuple[str, Any], ambiguous: bool
) -> None:
    paths = {t: _path_op(re.findall(r"\{(\w+)\}", t)[0], s) for t, s in (first, second)}
    result = compose([from_dict("a", spec(paths, {}))])
    messages = [d.message for d in result.diagnostics if d.code == "SF502"]
    if ambiguous:
        assert messages == [
            f"{second[0]} in specs/a.yaml:1:1 #/paths/{second[0].replace('/', '~1')}/get and "
            f"{first[0]} in specs/a.yaml:1:1 #/paths/{first[0].replace('/', '~1')}/get both "
            "match some paths with equal precedence (overlapping enum values or partial segments)"
        ]
    else:
        assert messages == []
