"""The 3.0 keyword rules (codegen.core.spec.openapi30), alone and through the IR."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from codegen.core.jsonschema.from_ir import to_json_schema
from codegen.core.spec import openapi30
from tests.codegen.ir.helpers import build, spec


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        ({"type": ["string"], "nullable": True}, {"type": ["string", "null"]}),
        ({"type": ["string", "null"], "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "string", "enum": ["a"], "nullable": True},
            {"type": ["string", "null"], "enum": ["a", None]},
        ),
        ({"enum": ["a", None], "nullable": True}, {"enum": ["a", None]}),
        ({"type": "string", "nullable": False}, {"type": "string"}),
        (
            {"$ref": "#/components/schemas/A", "title": "t", "nullable": True},
            {"title": "t", "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]},
        ),
        (
            {"allOf": [{"$ref": "#/A"}], "readOnly": True, "nullable": True},
            {"readOnly": True, "anyOf": [{"allOf": [{"$ref": "#/A"}]}, {"type": "null"}]},
        ),
        ({"minimum": 1, "nullable": True}, {"minimum": 1}),
    ],
)
def test_nullable(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert openapi30.nullable(schema) == expected


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"minimum": 0, "exclusiveMinimum": True}, {"exclusiveMinimum": 0}),
        ({"maximum": 9, "exclusiveMaximum": True}, {"exclusiveMaximum": 9}),
        ({"minimum": 0, "exclusiveMinimum": False}, {"minimum": 0}),
        ({"exclusiveMinimum": True}, {}),
        ({"minimum": 1, "exclusiveMinimum": 3}, {"minimum": 1, "exclusiveMinimum": 3}),
        ({"exclusiveMaximum": 2.5}, {"exclusiveMaximum": 2.5}),
    ],
)
def test_exclusive_bounds(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert openapi30.exclusive_bounds(schema) == expected


def test_example_becomes_examples_unless_examples_exist() -> None:
    assert openapi30.example_as_examples({"example": 3}) == {"examples": [3]}
    assert openapi30.example_as_examples({"example": 3, "examples": [4]}) == {"examples": [4]}


def test_upgrade_applies_every_rule_and_never_modifies_its_input() -> None:
    schema = {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "nullable": True}
    before = copy.deepcopy(schema)
    assert openapi30.upgrade(schema) == {"type": ["integer", "null"], "exclusiveMinimum": 0}
    assert schema == before


def test_is_30() -> None:
    assert openapi30.is_30({"openapi": "3.0.3"})
    assert not openapi30.is_30({"openapi": "3.1.0"})
    assert not openapi30.is_30({})


def test_the_ir_reads_30_through_the_rules(tmp_path: Path) -> None:
    """A 3.0 component comes out of the IR in 2020-12 terms."""
    schemas = {
        "Thing": {
            "type": "object",
            "properties": {
                "n": {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 5},
                "s": {"type": "string", "enum": ["a"], "nullable": True},
                "r": {"$ref": "#/components/schemas/Other", "nullable": True},
            },
        },
        "Other": {"type": "string"},
    }
    api, _ = build(tmp_path, spec("3.0.3", schemas=schemas))
    properties = to_json_schema(api.schemas["Thing"])["properties"]
    assert properties["n"] == {"type": "integer", "maximum": 5, "exclusiveMinimum": 0}
    assert properties["s"] == {"type": ["null", "string"], "enum": ["a", None]}
    wrapper = to_json_schema(api.resolve(api.schemas["Thing"].properties[2].schema))
    assert wrapper["anyOf"] == [{"$ref": "#/components/schemas/Other"}, {"type": "null"}]
