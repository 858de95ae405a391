"""Unit tests of the rendering pieces: literals, JSON Schema, field expressions,
serializer and route context."""

from __future__ import annotations

import decimal

import pytest

from codegen.core.diagnostics import SourceLocation
from codegen.core.ir.model import Api, Discriminator, Property, Schema, SchemaRef
from codegen.core.jsonschema.from_ir import component_ref, to_json_schema
from codegen.generator.render.context import serializer_context
from codegen.generator.render.fields import field_expr, json_schema_only
from codegen.generator.render.literals import py_literal

HERE = SourceLocation("spec.yaml", 1, 1, "/components/schemas/X")


def schema(**kwargs: object) -> Schema:
    return Schema(location=HERE, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "exact", "expected"),
    [
        ({"a": [1, 0.5, None, True]}, False, "{'a': [1, 0.5, None, True]}"),
        ({"a": [decimal.Decimal("0.5")]}, False, "{'a': [0.5]}"),
        ({"a": [0.5]}, True, '{"a": [decimal.Decimal("0.5")]}'),
        ('é"x', False, '"é\\"x"'),
        (0.1, True, 'decimal.Decimal("0.1")'),
        (decimal.Decimal("0.10"), True, 'decimal.Decimal("0.10")'),
        (decimal.Decimal("2"), False, "2"),
        (decimal.Decimal("2.5"), False, "2.5"),
        (3, True, "3"),
    ],
)
def test_py_literal(value: object, exact: bool, expected: str) -> None:
    assert py_literal(value, exact=exact) == expected


def test_py_literal_refuses_non_json() -> None:
    with pytest.raises(TypeError, match="not a JSON value"):
        py_literal([object()])
    with pytest.raises(ValueError, match="not a JSON number"):
        py_literal(float("inf"), exact=True)


def test_component_ref_escapes_pointer_tokens() -> None:
    assert component_ref("a/b~c d") == "#/components/schemas/a~1b~0c%20d"


def test_to_json_schema_round_trips_keywords() -> None:
    node = schema(
        types=("null", "string"),
        max_length=3,
        enum=("a", None),
        read_only=True,
        unmodeled=(("if", {"const": "a"}),),
    )
    assert to_json_schema(node) == {
        "type": ["null", "string"],
        "maxLength": 3,
        "enum": ["a", None],
        "readOnly": True,
        "if": {"const": "a"},
    }
    obj = schema(
        types=("object",),
        properties=(
            Property("a", "a", SchemaRef("A"), required=True),
            Property("b", "b", schema(types=("integer",)), required=False),
        ),
        additional_properties=False,
        one_of=(SchemaRef("A"), SchemaRef("B")),
        discriminator=Discriminator("kind", (("a", "A"),)),
    )
    assert to_json_schema(obj) == {
        "type": "object",
        "properties": {"a": {"$ref": "#/components/schemas/A"}, "b": {"type": "integer"}},
        "required": ["a"],
        "additionalProperties": False,
        "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
        "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A"}},
    }


@pytest.mark.parametrize(
    ("node", "kwargs", "expected"),
    [
        (SchemaRef("Pet"), {}, 'registry.ref("Pet")'),
        (SchemaRef("Pet"), {"required": False}, 'registry.ref("Pet", required=False)'),
        (
            schema(types=("integer",), minimum=1),
            {"required": True},
            "f.Integer(minimum=1, required=True)",
        ),
        (
            schema(types=("number",), multiple_of=0.01),
            {},
            'f.Number(multiple_of=decimal.Decimal("0.01"))',
        ),
        (schema(types=("null", "string")), {}, "f.String(nullable=True)"),
        (schema(types=("integer", "string")), {}, "f.AnyValue(types=['integer', 'string'])"),
        (schema(), {}, "f.AnyValue()"),
        (
            schema(types=("array",), items=schema(types=("string",)), unique_items=True),
            {},
            "f.Array(items=f.String(), unique_items=True)",
        ),
        (
            schema(types=("string",), read_only=True, default="x"),
            {"required": True},
            "f.String(required=False, read_only=True, output_required=True)",
        ),
        (
            schema(types=("integer",), default=3),
            {"required": False},
            "f.Integer(required=False, default=3)",
        ),
        (
            schema(types=("object",), additional_properties=schema(types=("integer",))),
            {},
            "f.Object(additional=f.Integer())",
        ),
        (
            schema(types=("array",), prefix_items=(schema(types=("string",)),)),
            {},
            "f.Array(check=registry.check({'type': 'array', 'prefixItems': [{'type': 'string'}]}))",
        ),
        (None, {"required": False}, "f.AnyValue(required=False)"),
    ],
)
def test_field_expr(node: object, kwargs: dict[str, bool], expected: str) -> None:
    assert field_expr(node, **kwargs) == expected  # type: ignore[arg-type]


def test_json_schema_only_names_every_unexpressed_keyword() -> None:
    node = schema(
        unmodeled=(("contains", {}), ("if", {})),
        pattern_properties=(("^x", schema()),),
        not_=schema(),
    )
    assert json_schema_only(node) == ["contains", "if", "not", "patternProperties"]
    assert json_schema_only(node, named=True) == ["contains", "if", "patternProperties"]


def test_serializer_context_for_an_object_with_odd_names() -> None:
    node = Schema(
        location=HERE,
        name="Thing",
        types=("object",),
        properties=(Property("content-type", "content_type", schema(types=("string",)), True),),
        additional_properties=False,
        pattern_properties=(("^x-", schema(types=("string",))),),
    )
    context = serializer_context(node)
    assert context.members == [('"content-type"', "f.String(required=True)")]
    assert context.python_names == [('"content-type"', '"content_type"')]
    # patternProperties: the JSON Schema check judges extra keys, not the field.
    assert context.additional == "True"
    assert context.check_keywords == ["patternProperties"]
    assert context.check_expr == "registry.check({'$ref': '#/components/schemas/Thing'})"
    assert context.gate == "f.Object()"


def test_ref_properties_take_read_only_from_their_target() -> None:
    wrapper = Schema(location=HERE, name="ThingId", read_only=True, all_of=(SchemaRef("Id"),))
    thing = Schema(
        location=HERE,
        name="Thing",
        types=("object",),
        properties=(Property("id", "id_", SchemaRef("ThingId"), required=True),),
    )
    api = Api("t", "1", "3.1.0", "spec.yaml", "0" * 64, (), {"Thing": thing, "ThingId": wrapper})
    context = serializer_context(thing, api)
    assert context.members == [
        ('"id"', 'registry.ref("ThingId", required=False, read_only=True, output_required=True)')
    ]
