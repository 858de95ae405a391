"""bundle: one self-contained document from a multi-file spec."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from openapi_spec_validator import validate

from codegen.core.spec.bundle import bundle, bundle_with_origins, section_for
from codegen.core.spec.loader import load_spec

WriteSpec = Callable[..., Path]

ROOT = """
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /orders:
    $ref: 'paths.yaml#/orders'
components:
  schemas:
    Money: {type: string}
    Order:
      type: object
      properties:
        total: {$ref: 'common.yaml#/components/schemas/Money'}
        local: {$ref: '#/components/schemas/Money'}
"""


def test_external_refs_become_components(write_spec: WriteSpec) -> None:
    root = write_spec(ROOT)
    write_spec(
        "components:\n  schemas:\n    Money:\n      type: object\n      properties:\n"
        "        currency: {$ref: '#/components/schemas/Currency'}\n"
        "        again: {$ref: '#/components/schemas/Money'}\n"
        "    Currency: {type: string}\n",
        name="common.yaml",
    )
    write_spec(
        "orders:\n  get:\n    parameters: [{$ref: 'params.yaml'}]\n    responses:\n"
        "      '200': {$ref: 'common.yaml#/components/responses/Ok'}\n",
        name="paths.yaml",
    )
    write_spec("name: limit\nin: query\nschema: {type: integer}\n", name="params.yaml")
    with open(root.parent / "common.yaml", "a") as handle:
        handle.write("  responses:\n    Ok: {description: ok}\n")
    loaded, diagnostics = load_spec(root)
    assert loaded is not None and diagnostics == []
    doc = bundle(loaded)
    schemas = doc["components"]["schemas"]
    assert list(schemas) == ["Money", "Order", "Money_2", "Currency"]
    assert schemas["Order"]["properties"] == {
        "total": {"$ref": "#/components/schemas/Money_2"},
        "local": {"$ref": "#/components/schemas/Money"},
    }
    assert schemas["Money_2"]["properties"] == {
        "currency": {"$ref": "#/components/schemas/Currency"},
        "again": {"$ref": "#/components/schemas/Money_2"},
    }
    operation = doc["paths"]["/orders"]["get"]  # a path item is copied in place
    assert operation["parameters"] == [{"$ref": "#/components/parameters/params"}]
    assert operation["responses"]["200"] == {"$ref": "#/components/responses/Ok"}
    assert doc["components"]["parameters"]["params"]["name"] == "limit"
    validate(doc)  # self-contained and valid


def test_origins_map_back_to_files(write_spec: WriteSpec) -> None:
    root = write_spec(
        ROOT.replace("$ref: 'paths.yaml#/orders'", "get: {responses: {'200': {description: ok}}}")
    )
    write_spec("components:\n  schemas:\n    Money: {type: object}\n", name="common.yaml")
    loaded, _ = load_spec(root)
    assert loaded is not None
    _, origins = bundle_with_origins(loaded)
    file, pointer = origins.source(["components", "schemas", "Money_2", "type"])
    assert (file.display, pointer) == (
        f"{root.parent}/common.yaml",
        "/components/schemas/Money/type",
    )
    file, pointer = origins.source(["paths", "/orders"])
    assert (file, pointer) == (loaded.root, "/paths/~1orders")


def test_unresolvable_refs_are_kept_as_written(write_spec: WriteSpec) -> None:
    root = write_spec(
        ROOT.replace("common.yaml#", "missing.yaml#").replace("$ref: 'paths.yaml#/orders'", "{}")
    )
    loaded, diagnostics = load_spec(root)
    assert loaded is not None and [d.code for d in diagnostics] == ["SF010"]
    doc = bundle(loaded)
    total = doc["components"]["schemas"]["Order"]["properties"]["total"]
    assert total == {"$ref": "missing.yaml#/components/schemas/Money"}


def test_section_for() -> None:
    assert section_for(["paths", "/a", "get", "requestBody"]) == "requestBodies"
    assert section_for(["paths", "/a", "get", "responses", "200", "headers", "X"]) == "headers"
    assert section_for(["components", "schemas", "A", "properties", "b"]) == "schemas"
    assert section_for(["paths", "/a"]) is None


def test_a_31_schema_with_its_own_id_is_copied_as_written(write_spec: WriteSpec) -> None:
    """Inside ``$id: urn:...`` the pointer ``#/$defs/bar`` names that resource's
    member: rewritten to ``#/components/...`` it would name nothing there."""
    root = write_spec(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    A: {$ref: 'case.json'}\n"
    )
    case = {
        "$id": "urn:uuid:deadbeef-1234-00ff-ff00-4321feebdaed",
        "properties": {"foo": {"$ref": "#/$defs/bar"}},
        "$defs": {"bar": {"type": "string"}},
    }
    write_spec(json.dumps(case), name="case.json")
    loaded, diagnostics = load_spec(root)
    assert loaded is not None and diagnostics == []
    assert bundle(loaded)["components"]["schemas"]["case"] == case


def test_a_pointer_dynamic_ref_is_rewritten_like_a_ref(write_spec: WriteSpec) -> None:
    """JSON-Schema-Test-Suite dynamicRef.json #18: ``$dynamicRef: "#/$defs/true"`` in
    a pulled-in file must still name that file's ``$defs/true`` once bundled."""
    root = write_spec(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Case: {$ref: 'case.json'}\n"
    )
    write_spec(
        '{"$defs": {"yes": true}, "properties": {"a": {"$dynamicRef": "#/$defs/yes"},'
        ' "b": {"$dynamicRef": "#anchor"}}}',
        name="case.json",
    )
    loaded, diagnostics = load_spec(root)
    assert loaded is not None, diagnostics
    schemas = bundle(loaded)["components"]["schemas"]
    pulled = next(s for name, s in schemas.items() if name != "Case")
    dynamic = pulled["properties"]["a"]["$dynamicRef"]
    assert dynamic.startswith("#/components/schemas/")
    assert pulled["properties"]["b"]["$dynamicRef"] == "#anchor"
