"""The raw-tree conversion (codegen.core.jsonschema.from_spec): both views, every rule."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from codegen.core.jsonschema.from_spec import document_31, schema_31, validation_schema
from codegen.core.openapi import REQUEST, RESPONSE
from codegen.core.spec.loader import LoadedSpec, load_spec
from codegen.core.synth import DISCRIMINATOR
from codegen.core.validator import validation_error


def load(tmp_path: Path, version: str, schemas: dict[str, Any]) -> LoadedSpec:
    doc = {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded, diagnostics = load_spec(path)
    assert loaded is not None, diagnostics
    return loaded


def convert(loaded: LoadedSpec, name: str, **options: Any) -> Any:
    schema = loaded.root.data["components"]["schemas"][name]
    return validation_schema(loaded, loaded.root, schema, **options)


def test_30_nullable_and_exclusive_bounds(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        "3.0.3",
        {
            "N": {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "nullable": True},
            "E": {"type": "string", "enum": ["a"], "nullable": True, "example": "a"},
        },
    )
    assert convert(loaded, "N") == {"type": ["integer", "null"], "exclusiveMinimum": 0}
    assert convert(loaded, "E") == {"type": ["string", "null"], "enum": ["a", None]}
    assert validation_error(convert(loaded, "N"), None) is None
    assert validation_error(convert(loaded, "N"), 0) is not None


def test_31_keeps_numeric_bounds_and_ignores_nullable(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        "3.1.0",
        {"N": {"type": "integer", "exclusiveMinimum": 0, "maximum": 5, "nullable": True}},
    )
    assert convert(loaded, "N") == {"type": "integer", "exclusiveMinimum": 0, "maximum": 5}


def test_refs_become_defs_once_per_place_and_recursion_stays_finite(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        "3.1.0",
        {
            "Tree": {
                "type": "object",
                "properties": {
                    "left": {"$ref": "#/components/schemas/Tree"},
                    "right": {"$ref": "#/components/schemas/Tree"},
                    "broken": {"$ref": "#/components/schemas/Nope"},
                },
            }
        },
    )
    out = convert(loaded, "Tree")
    assert out["properties"] == {
        "left": {"$ref": "#/$defs/d0"},
        "right": {"$ref": "#/$defs/d0"},
        "broken": {},
    }
    assert out["$defs"]["d0"]["properties"]["left"] == {"$ref": "#/$defs/d0"}
    assert validation_error(out, {"left": {"right": {}}}) is None
    assert validation_error(out, {"left": {"right": 3}}) is not None


def test_ref_to_a_boolean_schema_wraps_in_all_of(tmp_path: Path) -> None:
    loaded = load(tmp_path, "3.1.0", {"F": False, "R": {"$ref": "#/components/schemas/F"}})
    assert convert(loaded, "R") == {"$ref": "#/$defs/d0", "$defs": {"d0": False}}
    assert validation_schema(loaded, loaded.root, {"$ref": "#/components/schemas/F"}) == {
        "$ref": "#/$defs/d0",
        "$defs": {"d0": False},
    }


def test_ref_siblings_30_ignored_except_nullable_31_kept(tmp_path: Path) -> None:
    schemas = {
        "A": {"type": "string"},
        "S": {"$ref": "#/components/schemas/A", "maxLength": 1},
        "N": {"$ref": "#/components/schemas/A", "nullable": True},
    }
    (tmp_path / "a").mkdir()
    old = load(tmp_path / "a", "3.0.3", schemas)
    assert convert(old, "S") == {"$ref": "#/$defs/d0", "$defs": {"d0": {"type": "string"}}}
    nullable = convert(old, "N")
    assert nullable["anyOf"] == [{"$ref": "#/$defs/d0"}, {"type": "null"}]
    assert validation_error(nullable, None) is None
    (tmp_path / "b").mkdir()
    new = load(tmp_path / "b", "3.1.0", schemas)
    assert convert(new, "S") == {
        "maxLength": 1,
        "allOf": [{"$ref": "#/$defs/d0"}],
        "$defs": {"d0": {"type": "string"}},
    }


def test_annotations_are_dropped_for_validation(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        "3.0.3",
        {"A": {"type": "object", "xml": {"name": "a"}, "x-kind": 1, "example": {}}},
    )
    assert convert(loaded, "A") == {"type": "object"}


@pytest.mark.parametrize(
    ("direction", "required"), [(REQUEST, ["w", "plain"]), (RESPONSE, ["r", "plain"])]
)
def test_direction_drops_what_it_does_not_send(
    tmp_path: Path, direction: str, required: list[str]
) -> None:
    loaded = load(
        tmp_path,
        "3.1.0",
        {
            "RO": {"type": "string", "readOnly": True},
            "Thing": {
                "type": "object",
                "required": ["r", "w", "plain"],
                "properties": {
                    "r": {"$ref": "#/components/schemas/RO"},
                    "w": {"type": "string", "writeOnly": True},
                    "plain": {"type": "string"},
                },
            },
        },
    )
    assert convert(loaded, "Thing", direction=direction)["required"] == required
    assert convert(loaded, "Thing")["required"] == ["r", "w", "plain"]


def test_forbid_unsent_makes_write_only_properties_false(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        "3.1.0",
        {
            "Thing": {
                "type": "object",
                "properties": {"pw": {"type": "string", "writeOnly": True}, "n": {}},
            }
        },
    )
    out = convert(loaded, "Thing", direction=RESPONSE, forbid_unsent=True)
    assert out["properties"] == {"pw": False, "n": {}}
    assert validation_error(out, {"pw": "x"}) is not None


def test_discriminator_mapping_points_at_defs(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        "3.0.3",
        {
            "Cat": {"type": "object"},
            "Dog": {"type": "object"},
            "Pet": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "discriminator": {"propertyName": "kind", "mapping": {"hound": "Dog"}},
            },
        },
    )
    out = convert(loaded, "Pet", discriminators=True)
    assert out[DISCRIMINATOR] == {
        "propertyName": "kind",
        "mapping": {"hound": "#/$defs/d1", "Cat": "#/$defs/d0"},
    }
    assert set(out["$defs"]) == {"d0", "d1"}
    assert "discriminator" not in out
    assert DISCRIMINATOR not in convert(loaded, "Pet")


def test_schema_31_converts_subschemas_and_keeps_annotations() -> None:
    schema = {
        "type": "object",
        "description": "d",
        "x-kind": 1,
        "properties": {"a": {"$ref": "#/components/schemas/A", "nullable": True, "title": "t"}},
        "items": {"type": "number", "maximum": 3, "exclusiveMaximum": True, "example": 2},
    }
    before = copy.deepcopy(schema)
    assert schema_31(schema) == {
        "type": "object",
        "description": "d",
        "x-kind": 1,
        "properties": {
            "a": {"title": "t", "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}
        },
        "items": {"type": "number", "exclusiveMaximum": 3, "examples": [2]},
    }
    assert schema == before


def test_document_31_converts_schemas_and_never_example_data() -> None:
    data = {"type": "string", "nullable": True}
    document = {
        "openapi": "3.0.3",
        "paths": {
            "/a": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "schema": dict(data)}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": dict(data),
                                    "example": {"schema": dict(data)},
                                    "examples": {"e": {"value": {"schema": dict(data)}}},
                                }
                            },
                        }
                    },
                    "x-data": {"schema": dict(data)},
                }
            }
        },
        "components": {"schemas": {"S": dict(data)}},
    }
    out = document_31(document)
    converted = {"type": ["string", "null"]}
    assert out["openapi"] == "3.1.0"
    assert out["components"]["schemas"]["S"] == converted
    get = out["paths"]["/a"]["get"]
    assert get["parameters"][0]["schema"] == converted
    media = get["responses"]["200"]["content"]["application/json"]
    assert media["schema"] == converted
    assert media["example"] == {"schema": data}
    assert media["examples"]["e"]["value"] == {"schema": data}
    assert get["x-data"] == {"schema": data}
    assert document["components"]["schemas"]["S"] == data


def test_document_31_leaves_31_as_a_copy() -> None:
    document = {"openapi": "3.1.0", "components": {"schemas": {"S": {"nullable": True}}}}
    out = document_31(document)
    assert out == document
    assert out is not document


def test_defs_are_numbered_and_ordered_outside_in(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        "3.1.0",
        {
            "Outer": {"type": "array", "items": {"$ref": "#/components/schemas/Inner"}},
            "Inner": {"type": "string"},
        },
    )
    out = validation_schema(loaded, loaded.root, {"$ref": "#/components/schemas/Outer"})
    assert list(out["$defs"]) == ["d0", "d1"]
    assert out["$defs"]["d0"] == {"type": "array", "items": {"$ref": "#/$defs/d1"}}


def test_a_31_ref_sibling_flag_counts_a_30_one_does_not(tmp_path: Path) -> None:
    schemas = {
        "S": {"type": "string"},
        "Thing": {
            "type": "object",
            "required": ["r"],
            "properties": {"r": {"$ref": "#/components/schemas/S", "readOnly": True}},
        },
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert (
        convert(load(tmp_path / "a", "3.1.0", schemas), "Thing", direction=REQUEST)["required"]
        == []
    )
    assert convert(load(tmp_path / "b", "3.0.3", schemas), "Thing", direction=REQUEST)[
        "required"
    ] == ["r"]
