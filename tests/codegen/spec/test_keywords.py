"""One table of subschema keywords (codegen.core.spec.keywords): every schema walker
finds the same subschemas, under every keyword JSON Schema 2020-12 (and the draft-4
tuple form of ``items``) puts them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen.core.jsonschema.from_spec import map_subschemas
from codegen.core.spec.keywords import subschemas
from codegen.core.spec.loader import load_spec
from codegen.core.spec.schema_walk import iter_schemas
from codegen.designer.lint.document import Document
from codegen.designer.lint.walk import subschemas as lint_subschemas

SINGLE = [
    "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema",
]  # fmt: skip
LISTS = ["allOf", "oneOf", "anyOf", "prefixItems"]
MAPS = ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"]


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = {key: {"title": key} for key in SINGLE}
    schema |= {key: [{"title": f"{key}/0"}] for key in LISTS}
    schema |= {key: {"m": {"title": f"{key}/m"}} for key in MAPS}
    return schema


EXPECTED = {*SINGLE, *(f"{k}/0" for k in LISTS), *(f"{k}/m" for k in MAPS)}


def test_the_table_names_every_subschema_keyword() -> None:
    found = {sub["title"] for _, sub in subschemas(_schema())}
    assert found == EXPECTED
    tuple_form = list(subschemas({"items": [{"type": "string"}, True]}))
    assert tuple_form == [(("items", 0), {"type": "string"}), (("items", 1), True)]


def test_every_walker_finds_the_same_subschemas(tmp_path: Path) -> None:
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": {"S": _schema()}}
    walked = {s["title"] for tokens, s in iter_schemas(doc) if len(tokens) > 3}
    assert walked == EXPECTED

    seen: list[str] = []
    map_subschemas(_schema(), lambda sub: seen.append(sub["title"]))
    assert set(seen) == EXPECTED

    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded, _ = load_spec(path)
    assert loaded is not None
    node = Document(loaded).root.child("components", "schemas", "S")
    assert {visit.node.value["title"] for visit in lint_subschemas(node)} == EXPECTED
