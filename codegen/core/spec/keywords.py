"""Which keywords of a spec hold subschemas, names or data: one table for every walker.

Everything that walks a schema (finding schemas for checks, rewriting references
when bundling or composing, converting to JSON Schema, comparing for drift) must agree
on where its subschemas are, or one walker misses what another sees. JSON Schema
2020-12 (with the 2019-09 and draft-4 keywords specs still use) puts them under:

* :data:`SUBSCHEMA`: one schema (``items``, ``not``, ``if``, ...);
* :data:`SUBSCHEMA_LISTS`: a list of schemas (``allOf``, ``prefixItems``, ...;
  and ``items`` in the draft-4 tuple form, which :func:`subschemas` reads too);
* :data:`SUBSCHEMA_MAPS`: a map of names to schemas (``properties``, ``$defs``, ...).

Beyond schemas, :data:`NAME_MAPS` are the maps whose keys are names (a property
called ``default`` is not data) and :data:`DATA` the keywords whose value is a JSON
value, never an object to walk (a ``$ref`` inside an ``example`` is just data).

``list(subschemas({"items": {"type": "string"}, "allOf": [{}]}))`` ->
``[(("items",), {"type": "string"}), (("allOf", 0), {})]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

SUBSCHEMA: Final = (
    "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema",
)  # fmt: skip
SUBSCHEMA_LISTS: Final = ("allOf", "oneOf", "anyOf", "prefixItems")
SUBSCHEMA_MAPS: Final = (
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
)
# Every keyword whose value holds subschemas (``schema`` is OpenAPI's, outside schemas).
SUBSCHEMA_KEYWORDS: Final = frozenset((*SUBSCHEMA, *SUBSCHEMA_LISTS, *SUBSCHEMA_MAPS))

# OpenAPI objects whose keys are names (components, status codes, media types, ...).
OPENAPI_NAME_MAPS: Final = frozenset(
    {
        "schemas", "responses", "parameters", "headers", "requestBodies", "securitySchemes",
        "links", "callbacks", "pathItems", "content", "encoding", "variables", "mapping",
        "paths", "webhooks", "scopes",
    }
)  # fmt: skip
NAME_MAPS: Final = frozenset(SUBSCHEMA_MAPS) | OPENAPI_NAME_MAPS
# Keywords whose value is data; walkers that do not track which OpenAPI object they
# are in treat an Example Object's ``value`` as data everywhere (:data:`DATA_OR_VALUE`).
DATA: Final = frozenset({"example", "default", "const", "enum"})
DATA_OR_VALUE: Final = DATA | {"value"}


def subschemas(schema: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """``(keys below schema, subschema)`` for each direct subschema, in table order:
    a keyword, then a list index (int) or a map key (see the module docstring)."""
    for key in SUBSCHEMA:
        value = schema.get(key)
        if isinstance(value, Mapping | bool):
            yield (key,), value
        elif key == "items" and isinstance(value, list):  # draft-4 tuple form
            yield from (((key, i), item) for i, item in enumerate(value))
    for key in SUBSCHEMA_LISTS:
        value = schema.get(key)
        if isinstance(value, list):
            yield from (((key, i), item) for i, item in enumerate(value))
    for key in SUBSCHEMA_MAPS:
        value = schema.get(key)
        if isinstance(value, Mapping):
            yield from (((key, str(name)), item) for name, item in value.items())
