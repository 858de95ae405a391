"""Semantic comparison of a spec with a derived schema: equal spellings, real differences."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.verify.drift.compare import compare_documents


def doc(
    schema: Any,
    *,
    components: dict[str, Any] | None = None,
    version: str = "3.1.0",
    extra_response: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A one-operation document: ``POST /items`` with ``schema`` as request and 201 body."""
    response: dict[str, Any] = {
        "description": "ok",
        "content": {"application/json": {"schema": schema}},
    }
    response.update(extra_response or {})
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/items": {
                "post": {
                    "operationId": "createItem",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": schema}},
                    },
                    "responses": {"201": response},
                }
            }
        },
        "components": {"schemas": components or {}},
    }


UUID = {"type": "string", "format": "uuid"}


@pytest.mark.parametrize(
    ("spec_schema", "spec_components", "derived_schema", "derived_components"),
    [
        # refs resolved; generated component names map back to the spec's
        (
            {"$ref": "#/components/schemas/Item"},
            {"Item": {"type": "object", "properties": {"id": UUID}}},
            {"$ref": "#/components/schemas/ItemRequest"},
            {"ItemRequest": {"type": "object", "properties": {"id": UUID}}},
        ),
        # 3.0 nullable vs 3.1 type list vs oneOf-with-null
        ({"type": "string", "nullable": True}, None, {"type": ["null", "string"]}, None),
        # nullable beside a $ref: "this reference or null", as the IR reads it
        (
            {"$ref": "#/components/schemas/Id", "nullable": True},
            {"Id": UUID},
            {"oneOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}]},
            {"Id": UUID},
        ),
        (
            {"type": ["string", "null"], "format": "uuid"},
            None,
            {"oneOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}]},
            {"Id": UUID},
        ),
        # enum order and null in enum
        (
            {"type": ["string", "null"], "enum": ["a", "b"]},
            None,
            {"type": "string", "nullable": True, "enum": ["b", "a", None]},
            None,
        ),
        # single allOf wrapper with an annotation, descriptions and examples ignored
        (
            {"type": "string", "description": "x", "examples": ["a"]},
            None,
            {"allOf": [{"$ref": "#/components/schemas/S"}], "description": "other"},
            {"S": {"type": "string"}},
        ),
        # required order, defaults spelled out, 3.0 boolean exclusiveMinimum
        (
            {
                "type": "object",
                "required": ["a", "b"],
                "properties": {
                    "a": {"type": "integer", "exclusiveMinimum": 0},
                    "b": {"type": "string"},
                },
            },
            None,
            {
                "type": "object",
                "required": ["b", "a"],
                "additionalProperties": True,
                "properties": {
                    "b": {"type": ["string"]},
                    "a": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
                },
            },
            None,
        ),
        # oneOf members in another order
        (
            {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            None,
            {"oneOf": [{"type": "integer"}, {"type": "string"}]},
            None,
        ),
    ],
)
def test_equivalent_spellings_compare_equal(
    spec_schema: Any, spec_components: Any, derived_schema: Any, derived_components: Any
) -> None:
    assert (
        compare_documents(
            doc(spec_schema, components=spec_components),
            doc(derived_schema, components=derived_components),
        )
        == []
    )


def test_read_only_and_write_only_follow_the_direction() -> None:
    spec = {
        "type": "object",
        "required": ["id", "password"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "password": {"type": "string", "writeOnly": True},
        },
    }
    components = {
        "ItemRequest": {
            "type": "object",
            "required": ["password"],
            "properties": {"password": {"type": "string"}},
        },
        "Item": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    }
    derived = doc({"$ref": "#/components/schemas/Item"}, components=components)
    derived["paths"]["/items"]["post"]["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/ItemRequest"
    }
    assert compare_documents(doc(spec), derived) == []


def test_field_added_in_code_only_names_both_pointers() -> None:
    spec = doc(
        {"$ref": "#/components/schemas/Item"},
        components={"Item": {"type": "object", "properties": {"id": UUID}}},
    )
    derived = doc(
        {"$ref": "#/components/schemas/Item"},
        components={
            "Item": {"type": "object", "properties": {"id": UUID, "coupon": {"type": "string"}}}
        },
    )
    found = compare_documents(spec, derived)
    assert [(d.operation, d.message, d.source_pointer, d.derived_pointer) for d in found] == [
        (
            "POST /items",
            "property 'coupon' is in the code only",
            "#/components/schemas/Item/properties",
            "#/components/schemas/Item/properties/coupon",
        ),
    ]


@pytest.mark.parametrize(
    ("spec_schema", "derived_schema", "message"),
    [
        (
            {"type": "string"},
            {"type": "integer"},
            """'type' is ["string"] in the spec, ["integer"] in the code""",
        ),
        (
            {"type": "string", "maxLength": 5},
            {"type": "string"},
            "'maxLength' is 5 in the spec, absent in the code",
        ),
        (
            {"type": "string", "enum": ["a"]},
            {"type": "string", "enum": ["a", "b"]},
            """'enum' is ["\\"a\\""] in the spec, ["\\"a\\"", "\\"b\\""] in the code""",
        ),
        (
            {"type": "string"},
            {"type": ["string", "null"]},
            "'nullable' is true in the code, absent in the spec",
        ),
        (
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"a": {"type": "string"}}},
            """'required' is ["a"] in the spec, absent in the code""",
        ),
    ],
)
def test_real_differences_are_reported(spec_schema: Any, derived_schema: Any, message: str) -> None:
    found = compare_documents(doc(spec_schema), doc(derived_schema))
    assert {d.message for d in found} == {message}
    assert all(d.source_pointer and d.derived_pointer for d in found)


def test_property_only_in_the_spec() -> None:
    spec = doc({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}})
    derived = doc({"type": "object", "properties": {"a": {"type": "string"}}})
    found = compare_documents(spec, derived)
    assert [(d.message, d.source_pointer) for d in found] == [
        (
            "property 'b' is in the spec only",
            "#/paths/~1items/post/requestBody/content/application~1json/schema/properties/b",
        ),
        (
            "property 'b' is in the spec only",
            "#/paths/~1items/post/responses/201/content/application~1json/schema/properties/b",
        ),
    ]


def test_operation_level_differences() -> None:
    spec = doc(
        {"type": "string"}, extra_response={"headers": {"ETag": {"schema": {"type": "string"}}}}
    )
    spec["paths"]["/items"]["get"] = {
        "operationId": "listItems",
        "responses": {"200": {"description": "ok"}},
    }
    derived = doc({"type": "string"})
    derived["paths"]["/items"]["post"]["requestBody"]["required"] = False
    derived["paths"]["/items"]["post"]["responses"]["418"] = {"description": "teapot"}
    derived["paths"]["/items"]["post"]["parameters"] = [
        {"name": "q", "in": "query", "schema": {"type": "string"}}
    ]
    messages = {(d.operation, d.message) for d in compare_documents(spec, derived)}
    assert messages == {
        ("GET /items", "operation is in the spec only"),
        ("POST /items", "response header ETag is in the spec only"),
        ("POST /items", "request body required is True in the spec, False in the code"),
        ("POST /items", "response 418 is in the code only"),
        ("POST /items", "query parameter 'q' is in the code only"),
    }


def test_dangling_reference_in_the_derived_schema_is_a_difference() -> None:
    found = compare_documents(
        doc({"type": "string"}), doc({"$ref": "#/components/schemas/Missing"})
    )
    assert any("#/components/schemas/Missing (does not resolve)" in d.message for d in found)
    assert {d.derived_pointer for d in found if "resolve" in d.message} == {
        "#/paths/~1items/post/requestBody/content/application~1json/schema/$ref",
        "#/paths/~1items/post/responses/201/content/application~1json/schema/$ref",
    }


def test_recursive_schemas_terminate() -> None:
    node = {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Node"}}}
    spec = doc({"$ref": "#/components/schemas/Node"}, components={"Node": node})
    assert compare_documents(spec, spec) == []
