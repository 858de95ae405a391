"""OpenAPI 3.0's Schema Object keywords in JSON Schema 2020-12 terms, written once.

OpenAPI 3.0 spells three things differently from 3.1 (which is 2020-12):

* ``nullable: true`` → ``"null"`` added to ``type`` (and ``None`` to ``enum``);
  without a ``type``, a ``$ref`` or composite schema becomes
  ``anyOf: [<schema>, {"type": "null"}]`` (:func:`needs_null_branch`);
* boolean ``exclusiveMinimum``/``exclusiveMaximum`` → the numeric keyword, taking
  the value of ``minimum``/``maximum`` (a ``false`` flag is just dropped);
* ``example`` → ``examples: [example]`` (:func:`example_as_examples`; a view
  that only validates drops it instead).

The IR builder (:mod:`codegen.core.ir.schemas`) and every JSON Schema conversion
(:mod:`codegen.core.jsonschema`) read 3.0 through these functions.
Each takes one schema object and returns a new one (subschemas are the
caller's walk); the input is never modified. Boolean exclusive bounds are
accepted in 3.1 documents too (leniently, as every consumer did).

Example::

    >>> upgrade({"type": "integer", "minimum": 0, "exclusiveMinimum": True, "nullable": True})
    {'type': ['integer', 'null'], 'exclusiveMinimum': 0}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COMPOSITES = ("allOf", "oneOf", "anyOf")
# Kept beside the ``anyOf`` that a null branch adds: they describe the whole value.
_OUTER_ANNOTATIONS = ("description", "title", "readOnly")
_BOUNDS = (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum"))


def is_30(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` (an OpenAPI document's root) is OpenAPI 3.0."""
    version = document.get("openapi")
    return isinstance(version, str) and version.startswith("3.0")


def exclusive_bounds(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Boolean exclusive bounds as numeric ones.

    >>> exclusive_bounds({"maximum": 9, "exclusiveMaximum": True, "minimum": 1,
    ...                   "exclusiveMinimum": False})
    {'exclusiveMaximum': 9, 'minimum': 1}
    """
    out = dict(schema)
    for exclusive, bound in _BOUNDS:
        flag = out.get(exclusive)
        if isinstance(flag, bool):
            del out[exclusive]
            if flag and bound in out:
                out[exclusive] = out.pop(bound)
    return out


def needs_null_branch(schema: Mapping[str, Any]) -> bool:
    """``nullable`` that no ``type`` can carry: a ``$ref`` or composite schema
    without ``type`` admits null only through an ``anyOf`` branch."""
    return (
        schema.get("nullable") is True
        and not isinstance(schema.get("type"), str | list)
        and any(key in schema for key in (*COMPOSITES, "$ref"))
    )


def nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` without ``nullable``, admitting null when it was ``true``.

    >>> nullable({"type": "string", "enum": ["a"], "nullable": True})
    {'type': ['string', 'null'], 'enum': ['a', None]}
    >>> nullable({"$ref": "#/components/schemas/A", "description": "d", "nullable": True})
    {'description': 'd', 'anyOf': [{'$ref': '#/components/schemas/A'}, {'type': 'null'}]}
    """
    if needs_null_branch(schema):
        inner = {k: v for k, v in schema.items() if k != "nullable"}
        outer = {k: inner.pop(k) for k in _OUTER_ANNOTATIONS if k in inner}
        return {**outer, "anyOf": [inner, {"type": "null"}]}
    out = {k: v for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") is not True:
        return out
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        out["type"] = [*kind, "null"]
    enum = out.get("enum")
    if isinstance(enum, list) and None not in enum:
        out["enum"] = [*enum, None]
    return out


def example_as_examples(schema: Mapping[str, Any]) -> dict[str, Any]:
    """3.0's single ``example`` as 2020-12's ``examples`` list (documentation views).

    >>> example_as_examples({"type": "integer", "example": 3})
    {'type': 'integer', 'examples': [3]}
    """
    out = dict(schema)
    if "example" in out:
        example = out.pop("example")
        out.setdefault("examples", [example])
    return out


def upgrade(schema: Mapping[str, Any]) -> dict[str, Any]:
    """One 3.0 schema object's own keywords in 2020-12 terms (``nullable`` and
    exclusive bounds; ``example`` is left to the view, see the module docstring)."""
    return nullable(exclusive_bounds(schema))
