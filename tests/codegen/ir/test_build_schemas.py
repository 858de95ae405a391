"""IR schemas: 3.0/3.1 normalisation, naming, references, recursion,
discriminators and unmodeled keywords, from inline spec fragments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.core.ir.model import MISSING, Discriminator, Schema, SchemaRef
from tests.codegen.ir.helpers import build, spec


def one_schema(tmp_path: Path, version: str, schema: Any) -> Schema:
    api, _ = build(tmp_path, spec(version, schemas={"S": schema}))
    return api.schemas["S"]


@pytest.mark.parametrize(
    ("version", "schema", "expected"),
    [
        # nullable (3.0) and type arrays (3.1) both become "null" in types
        ("3.0.3", {"type": "string", "nullable": True}, {"types": ("null", "string")}),
        ("3.1.0", {"type": ["string", "null"]}, {"types": ("null", "string")}),
        ("3.0.3", {"type": "string", "nullable": False}, {"types": ("string",)}),
        # 3.0 habits in 3.1 documents are read with their 3.0 meaning
        ("3.1.0", {"type": "string", "nullable": True}, {"types": ("null", "string")}),
        (
            "3.1.0",
            {"type": "integer", "minimum": 1, "exclusiveMinimum": True},
            {"minimum": None, "exclusive_minimum": 1},
        ),
        # a 3.0 nullable enum admits null
        (
            "3.0.3",
            {"type": "string", "enum": ["a"], "nullable": True},
            {"enum": ("a", None), "types": ("null", "string")},
        ),
        ("3.1.0", {"type": "string", "enum": ["a"]}, {"enum": ("a",)}),
        # boolean exclusive bounds (3.0) become numeric (3.1)
        (
            "3.0.3",
            {"type": "integer", "minimum": 1, "exclusiveMinimum": True},
            {"minimum": None, "exclusive_minimum": 1},
        ),
        (
            "3.0.3",
            {"type": "number", "maximum": 9.5, "exclusiveMaximum": True},
            {"maximum": None, "exclusive_maximum": 9.5},
        ),
        (
            "3.0.3",
            {"type": "integer", "minimum": 1, "exclusiveMinimum": False},
            {"minimum": 1, "exclusive_minimum": None},
        ),
        (
            "3.1.0",
            {"type": "integer", "exclusiveMinimum": 0, "maximum": 10},
            {"exclusive_minimum": 0, "maximum": 10, "minimum": None},
        ),
        # example (3.0) and examples (3.1) become examples
        ("3.0.3", {"type": "string", "example": "2020-01-01"}, {"examples": ("2020-01-01",)}),
        ("3.1.0", {"type": "string", "examples": ["a", "b"]}, {"examples": ("a", "b")}),
        # constraints carried as written
        (
            "3.1.0",
            {
                "type": "string",
                "minLength": 1,
                "maxLength": 5,
                "pattern": "^\\p{L}+$",
                "format": "email",
                "default": "x",
                "const": "x",
            },
            {
                "min_length": 1,
                "max_length": 5,
                "pattern": "^\\p{L}+$",
                "format": "email",
                "default": "x",
                "const": "x",
            },
        ),
        ("3.1.0", {"type": "number", "multipleOf": 0.01}, {"multiple_of": 0.01}),
        ("3.1.0", {"type": "string", "default": None}, {"default": None}),
        ("3.1.0", {"type": "string"}, {"default": MISSING, "const": MISSING}),
        (
            "3.1.0",
            {
                "type": "array",
                "items": {"type": "integer"},
                "minItems": 1,
                "maxItems": 3,
                "uniqueItems": True,
            },
            {"min_items": 1, "max_items": 3, "unique_items": True},
        ),
        (
            "3.1.0",
            {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
            {"max_items": 1},
        ),
        (
            "3.1.0",
            {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 2,
                "additionalProperties": False,
            },
            {"min_properties": 1, "max_properties": 2, "additional_properties": False},
        ),
        ("3.1.0", {"type": "object", "additionalProperties": {}}, {"additional_properties": True}),
        (
            "3.1.0",
            {"type": "string", "readOnly": True, "deprecated": True, "x-tag": 1},
            {"read_only": True, "deprecated": True, "extensions": (("x-tag", 1),)},
        ),
        (
            "3.1.0",
            {"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"},
            {"content_media_type": "image/png", "content_encoding": "base64"},
        ),
        # unmodeled keywords are kept, never dropped; annotations are not "unmodeled"
        (
            "3.1.0",
            {
                "type": "object",
                "if": {"required": ["a"]},
                "then": {"required": ["b"]},
                "dependentRequired": {"a": ["c"]},
                "propertyNames": {"maxLength": 3},
                "xml": {"name": "s"},
                "$comment": "c",
            },
            {
                "unmodeled": (
                    ("if", {"required": ["a"]}),
                    ("then", {"required": ["b"]}),
                    ("dependentRequired", {"a": ["c"]}),
                    ("propertyNames", {"maxLength": 3}),
                )
            },
        ),
        ("3.1.0", {}, {"types": ()}),
    ],
)
def test_schema_normalisation(
    tmp_path: Path, version: str, schema: dict[str, Any], expected: dict[str, Any]
) -> None:
    built = one_schema(tmp_path, version, schema)
    assert {key: getattr(built, key) for key in expected} == expected


def test_properties_required_and_python_names(tmp_path: Path) -> None:
    built = one_schema(
        tmp_path,
        "3.1.0",
        {
            "type": "object",
            "required": ["order-id", "class", "extra"],
            "properties": {
                "order-id": {"type": "string"},
                "orderId": {"type": "string"},
                "class": {"type": "integer"},
                "data": {"type": "string"},
                "名前": {"type": "string"},
            },
        },
    )
    assert [(p.name, p.python_name, p.required) for p in built.properties] == [
        ("order-id", "order_id", True),
        ("orderId", "order_id_2", False),
        ("class", "class_", True),
        ("data", "data_", False),
        ("名前", "u21517_u21069", False),
        ("extra", "extra", True),  # required but undeclared: any value
    ]
    extra = built.properties[-1].schema
    assert isinstance(extra, Schema) and extra.types == ()


def test_inline_objects_get_deterministic_names(tmp_path: Path) -> None:
    api, _ = build(
        tmp_path,
        spec(
            schemas={
                "order": {
                    "type": "object",
                    "properties": {
                        "lines": {"type": "array", "items": {"type": "object", "properties": {}}},
                        "meta": {"type": "object", "additionalProperties": {"type": "object"}},
                        "pair": {"type": "array", "prefixItems": [{"type": "object"}]},
                        "choice": {"oneOf": [{"type": "object"}, {"type": "string"}]},
                    },
                },
                # inline names never take a component's name
                "OrderLinesItem": {"type": "string"},
            }
        ),
    )
    assert sorted(api.schemas) == [
        "Order",
        "OrderChoice",
        "OrderChoiceOneOf1",
        "OrderLinesItem",
        "OrderLinesItem2",
        "OrderMeta",
        "OrderMetaValue",
        "OrderPairItem1",
    ]
    order = api.schemas["Order"]
    lines = order.properties[0].schema
    assert isinstance(lines, Schema) and lines.items == SchemaRef("OrderLinesItem2")
    choice = api.schemas["OrderChoice"]
    assert choice.one_of[0] == SchemaRef("OrderChoiceOneOf1")
    assert isinstance(choice.one_of[1], Schema) and choice.one_of[1].types == ("string",)
    assert all(name == schema.name for name, schema in api.schemas.items())


def test_recursive_schemas_are_refs(tmp_path: Path) -> None:
    api, diagnostics = build(
        tmp_path,
        spec(
            schemas={
                "Node": {
                    "type": "object",
                    "properties": {
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Node"},
                        },
                        "parent": {"$ref": "#/components/schemas/Node"},
                        "tree": {"$ref": "#/components/schemas/Tree"},
                    },
                },
                "Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            }
        ),
    )
    assert diagnostics == []
    node = api.schemas["Node"]
    children = node.properties[0].schema
    assert isinstance(children, Schema) and children.items == SchemaRef("Node")
    assert node.properties[1].schema == SchemaRef("Node")
    assert api.schemas["Tree"].items == SchemaRef("Tree")


def test_external_file_schemas_get_names(tmp_path: Path) -> None:
    (tmp_path / "money.yaml").write_text(
        "type: object\nproperties:\n  currency: {$ref: '#/$defs/Currency'}\n"
        "$defs:\n  Currency: {type: string}\n"
    )
    (tmp_path / "common.yaml").write_text(
        "components:\n  schemas:\n    Money: {type: object, properties: {a: {type: string}}}\n"
    )
    api, diagnostics = build(
        tmp_path,
        spec(
            schemas={
                "Order": {
                    "type": "object",
                    "properties": {
                        "total": {"$ref": "money.yaml"},
                        "other": {"$ref": "common.yaml#/components/schemas/Money"},
                    },
                }
            }
        ),
    )
    assert diagnostics == []
    assert sorted(api.schemas) == ["Currency", "Money", "Money2", "Order"]
    assert [p.schema for p in api.schemas["Order"].properties] == [
        SchemaRef("Money"),
        SchemaRef("Money2"),
    ]
    assert api.schemas["Money"].properties[0].schema == SchemaRef("Currency")
    assert api.schemas["Money2"].location.file == f"{tmp_path}/common.yaml"


def test_ref_siblings_30_and_31(tmp_path: Path) -> None:
    target = {"type": "object", "properties": {"a": {"type": "string"}}}
    owner = {
        "type": "object",
        "properties": {
            "plain": {"$ref": "#/components/schemas/T", "description": "ignored annotation"},
            "nullable": {"$ref": "#/components/schemas/T", "nullable": True},
            "readonly": {"$ref": "#/components/schemas/T", "readOnly": True},
        },
    }
    api30, _ = build(tmp_path, spec("3.0.3", schemas={"T": target, "O": owner}))
    props30 = [p.schema for p in api30.schemas["O"].properties]
    assert props30[0] == SchemaRef("T")
    assert props30[1] == SchemaRef("ONullable")  # "T or null"
    wrapper = api30.schemas["ONullable"]
    assert wrapper.any_of[0] == SchemaRef("T")
    assert isinstance(wrapper.any_of[1], Schema) and wrapper.any_of[1].types == ("null",)
    assert props30[2] == SchemaRef("T")  # 3.0 ignores $ref siblings
    api31, _ = build(tmp_path, spec("3.1.0", schemas={"T": target, "O": owner}), name="s31.json")
    props31 = [p.schema for p in api31.schemas["O"].properties]
    assert props31[0] == SchemaRef("T")
    assert props31[2] == SchemaRef("OReadonly")
    readonly = api31.schemas["OReadonly"]
    assert (readonly.read_only, readonly.all_of) == (True, (SchemaRef("T"),))


def test_30_nullable_composite_becomes_any_of_null(tmp_path: Path) -> None:
    api, _ = build(
        tmp_path,
        spec(
            "3.0.3",
            schemas={
                "T": {"type": "object"},
                "N": {"nullable": True, "allOf": [{"$ref": "#/components/schemas/T"}]},
            },
        ),
    )
    nullable = api.schemas["N"]
    assert nullable.any_of[0] == SchemaRef("NValue")
    assert isinstance(nullable.any_of[1], Schema) and nullable.any_of[1].types == ("null",)
    assert api.schemas["NValue"].all_of == (SchemaRef("T"),)


@pytest.mark.parametrize(
    ("schemas", "expected"),
    [
        # explicit mapping plus implicit component names for other members
        (
            {
                "Pet": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/cat"},
                        {"$ref": "#/components/schemas/Dog"},
                    ],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"doggy": "#/components/schemas/Dog"},
                    },
                },
                "cat": {"type": "object"},
                "Dog": {"type": "object"},
            },
            Discriminator("kind", (("cat", "Cat"), ("doggy", "Dog"))),
        ),
        # bare names in mapping; inheritance through allOf when there is no oneOf
        (
            {
                "Pet": {
                    "type": "object",
                    "discriminator": {"propertyName": "kind", "mapping": {"c": "Cat"}},
                },
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
                "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object"}]},
            },
            Discriminator("kind", (("Dog", "Dog"), ("c", "Cat"))),
        ),
    ],
)
def test_discriminator_mapping(
    tmp_path: Path, schemas: dict[str, Any], expected: Discriminator
) -> None:
    api, diagnostics = build(tmp_path, spec(schemas=schemas))
    assert diagnostics == []
    assert api.schemas["Pet"].discriminator == expected


def test_boolean_schemas_31(tmp_path: Path) -> None:
    built = one_schema(
        tmp_path, "3.1.0", {"type": "object", "properties": {"yes": True, "no": False}}
    )
    yes, no = (p.schema for p in built.properties)
    assert isinstance(yes, Schema) and yes.types == () and yes.not_ is None
    assert isinstance(no, Schema) and isinstance(no.not_, Schema)


def test_broken_schema_ref_is_reported_and_build_goes_on(tmp_path: Path) -> None:
    api, diagnostics = build(
        tmp_path,
        spec(
            schemas={
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Nope"}}}
            }
        ),
    )
    assert [(d.code, d.location.pointer) for d in diagnostics] == [
        ("SF011", "/components/schemas/A/properties/b/$ref"),
        ("SF011", "/components/schemas/A/properties/b/$ref"),
    ]  # once from the loader, once from the build (load_api removes the repeat)
    assert isinstance(api.schemas["A"].properties[0].schema, Schema)


def test_refs_inside_unmodeled_keywords_point_into_api_schemas(tmp_path: Path) -> None:
    api, diagnostics = build(
        tmp_path,
        spec(
            schemas={
                "order-line": {"type": "object"},
                "S": {
                    "type": "object",
                    "if": {"properties": {"kind": {"const": "a"}}},
                    "then": {"$ref": "#/components/schemas/order-line"},
                    "dependentSchemas": {
                        "x": {"allOf": [{"$ref": "#/components/schemas/order-line"}]}
                    },
                    "dependentRequired": {"a": ["b"]},
                },
            }
        ),
    )
    assert diagnostics == []
    assert dict(api.schemas["S"].unmodeled) == {
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"$ref": "#/components/schemas/OrderLine"},
        "dependentSchemas": {"x": {"allOf": [{"$ref": "#/components/schemas/OrderLine"}]}},
        "dependentRequired": {"a": ["b"]},
    }


def test_30_nullable_any_of_gets_a_null_member(tmp_path: Path) -> None:
    api, _ = build(
        tmp_path,
        spec(
            "3.0.3",
            schemas={
                "T": {"type": "object"},
                "N": {
                    "nullable": True,
                    "anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "string"}],
                },
            },
        ),
    )
    nullable = api.schemas["N"]
    assert nullable.any_of[0] == SchemaRef("T")
    assert [m.types for m in nullable.any_of[1:] if isinstance(m, Schema)] == [
        ("string",),
        ("null",),
    ]
    assert sorted(api.schemas) == ["N", "T"]


def test_required_names_declared_by_composition_parts_stay_a_requirement(tmp_path: Path) -> None:
    api, _ = build(
        tmp_path,
        spec(
            schemas={
                "Base": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Pet": {
                    "allOf": [{"$ref": "#/components/schemas/Base"}],
                    "required": ["name"],
                    "properties": {"age": {"type": "integer"}},
                },
            }
        ),
    )
    pet = api.schemas["Pet"]
    assert [p.name for p in pet.properties] == ["age"]  # no invented "any" field for name
    assert pet.unmodeled == (("required", ["name"]),)
