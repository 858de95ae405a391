"""The IR's JSON Schema view made self-contained for the synthesizer
(codegen.core.jsonschema.from_ir.instance_schema)."""

from __future__ import annotations

from pathlib import Path

from codegen.core.ir.model import SchemaRef
from codegen.core.jsonschema.from_ir import instance_schema, to_json_schema
from codegen.core.synth import Optional, Policy, Values, synthesize
from tests.codegen.ir.helpers import build, spec

SCHEMAS = {
    "Pet": {
        "type": "object",
        "required": ["id", "name", "secret", "owner"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "name": {"type": "string", "example": "Rex"},
            "secret": {"type": "string", "writeOnly": True},
            "owner": {"$ref": "#/components/schemas/OwnerName"},
        },
    },
    "OwnerName": {"type": "string", "example": "ada"},
    "Unused": {"type": "integer"},
}


def test_reached_schemas_examples_and_direction(tmp_path: Path) -> None:
    api, _ = build(tmp_path, spec("3.0.3", schemas=SCHEMAS))
    request = instance_schema(api, SchemaRef("Pet"), "request")
    assert request["$ref"] == "#/components/schemas/Pet"
    assert sorted(request["components"]["schemas"]) == ["OwnerName", "Pet"]
    pet = request["components"]["schemas"]["Pet"]
    assert pet["required"] == ["name", "secret", "owner"]
    assert pet["properties"]["name"]["examples"] == ["Rex"]
    assert request["components"]["schemas"]["OwnerName"]["examples"] == ["ada"]
    response = instance_schema(api, SchemaRef("Pet"), "response")
    assert response["components"]["schemas"]["Pet"]["required"] == ["id", "name", "owner"]
    # the published view keeps every required property and no examples
    assert to_json_schema(api.schemas["Pet"])["required"] == ["id", "name", "secret", "owner"]
    assert "examples" not in to_json_schema(api.schemas["OwnerName"])


def test_the_synthesizer_reads_it(tmp_path: Path) -> None:
    api, _ = build(tmp_path, spec("3.0.3", schemas=SCHEMAS))
    policy = Policy(values=Values.MINIMAL, examples=True, optional=Optional.NONE)
    value = synthesize(instance_schema(api, SchemaRef("Pet"), "request"), policy)
    assert value == {"name": "Rex", "owner": "ada", "secret": "x"}
