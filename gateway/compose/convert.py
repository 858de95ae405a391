"""Convert an OpenAPI 3.0 document to 3.1, so that every input merges as 3.1.

Only what 3.1 changed in Schema Objects is rewritten; everything else is
kept as it is (a deep copy; the input is never modified):

* ``nullable: true`` → ``"null"`` added to ``type`` (or to ``enum``), or an
  ``anyOf`` with ``{"type": "null"}`` around a ``$ref``/composite schema;
* boolean ``exclusiveMinimum``/``exclusiveMaximum`` → the numeric keyword,
  taking the value of ``minimum``/``maximum``;
* ``example`` → ``examples: [example]``.

Example::

    >>> convert_schema({"type": "integer", "minimum": 0, "exclusiveMinimum": True,
    ...                 "nullable": True, "example": 3})
    {'type': ['integer', 'null'], 'exclusiveMinimum': 0, 'examples': [3]}
"""

from __future__ import annotations

import copy
from typing import Any

# Keywords whose value is one subschema / a list of them / a name → subschema map.
_SUBSCHEMA = (
    "additionalProperties",
    "items",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
# Keys whose values are example data, never OpenAPI objects.
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum", "value"})


def is_openapi_30(document: dict[str, Any]) -> bool:
    version = document.get("openapi")
    return isinstance(version, str) and version.startswith("3.0")


def convert_document(document: dict[str, Any]) -> dict[str, Any]:
    """A 3.1 copy of ``document``; a 3.1 input is returned as a deep copy."""
    result = copy.deepcopy(document)
    if not is_openapi_30(result):
        return result
    result["openapi"] = "3.1.0"
    _walk_objects(result, inside_components=False)
    return result


def _walk_objects(node: Any, inside_components: bool) -> None:
    """Walk non-schema OpenAPI objects, converting every schema met."""
    if isinstance(node, list):
        for item in node:
            _walk_objects(item, inside_components)
        return
    if not isinstance(node, dict):
        return
    for key, value in list(node.items()):
        if key == "schema" and isinstance(value, dict):
            node[key] = convert_schema(value)
        elif key == "schemas" and inside_components and isinstance(value, dict):
            node[key] = {name: convert_schema(s) for name, s in value.items()}
        elif (key in _DATA_KEYS and key != "examples") or key.startswith("x-"):
            continue
        else:
            _walk_objects(value, inside_components=key == "components")


def convert_schema(schema: Any) -> Any:
    """Convert one 3.0 Schema Object (and its subschemas) to 3.1."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for key in _SUBSCHEMA:
        if isinstance(out.get(key), dict):
            out[key] = convert_schema(out[key])
    for key in _SUBSCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [convert_schema(s) for s in out[key]]
    for key in _SUBSCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {name: convert_schema(s) for name, s in out[key].items()}
    _exclusive(out, "exclusiveMinimum", "minimum")
    _exclusive(out, "exclusiveMaximum", "maximum")
    if "example" in out:
        example = out.pop("example")
        out.setdefault("examples", [example])
    if "nullable" in out:
        return _nullable(out, bool(out.pop("nullable")))
    return out


def _exclusive(schema: dict[str, Any], flag: str, bound: str) -> None:
    value = schema.get(flag)
    if not isinstance(value, bool):
        return
    del schema[flag]
    if value and bound in schema:
        schema[flag] = schema.pop(bound)


def _nullable(schema: dict[str, Any], nullable: bool) -> dict[str, Any]:
    if not nullable:
        return schema
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            schema["type"] = [*kind, "null"]
    elif "$ref" in schema or any(k in schema for k in ("allOf", "anyOf", "oneOf")):
        keep = {k: v for k, v in schema.items() if k in ("description", "title", "readOnly")}
        inner = {k: v for k, v in schema.items() if k not in keep}
        return {**keep, "anyOf": [inner, {"type": "null"}]}
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    return schema
