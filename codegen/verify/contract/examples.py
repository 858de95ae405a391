"""Build a request body from a schema's own examples, for seeding.

A spec rarely carries a whole-body ``example``; its properties usually carry
``examples``. :func:`synthesize` assembles a minimal valid instance from
them: required properties and those with an example, each from its
``example``/``examples``/``default``/``const``/``enum``, else a value that
fits its type and format. A uuid-valued property named like a known
resource parameter (``category_id`` ~ ``categoryId``) takes the id of a
resource created earlier, so related resources can be seeded in order::

    synthesize(doc, {"type": "object", "required": ["name", "category_id"],
                     "properties": {"name": {"type": "string", "examples": ["Mug"]},
                                    "category_id": {"type": "string", "format": "uuid"}}},
               known={"categoryid": "7d0c..."})
    -> {"name": "Mug", "category_id": "7d0c..."}
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

MISSING: Any = object()
MAX_DEPTH = 8
FORMAT_VALUES: dict[str, Callable[[], Any]] = {
    "date-time": lambda: "2024-01-01T00:00:00Z",
    "date": lambda: "2024-01-01",
    "time": lambda: "00:00:00Z",
    "email": lambda: "contract-tests@example.com",
    "uri": lambda: "https://example.com/",
    "url": lambda: "https://example.com/",
    "uuid": lambda: str(uuid.uuid4()),
    "ipv4": lambda: "127.0.0.1",
    "hostname": lambda: "example.com",
}


def key_of(name: str) -> str:
    """``category_id``, ``categoryId`` and ``CategoryID`` -> ``categoryid``."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _given(schema: Mapping[str, Any]) -> Any:
    if "example" in schema:
        return schema["example"]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
    return MISSING


def _types(schema: Mapping[str, Any]) -> list[str]:
    value = schema.get("type")
    types = [value] if isinstance(value, str) else list(value or [])
    return [t for t in types if t != "null"] or (["object"] if "properties" in schema else [])


def _string(schema: Mapping[str, Any]) -> Any:
    fmt = schema.get("format")
    if fmt in FORMAT_VALUES:
        return FORMAT_VALUES[fmt]()
    return "x" * max(int(schema.get("minLength", 1)), 1)


def _number(schema: Mapping[str, Any]) -> Any:
    if "minimum" in schema:
        return schema["minimum"]
    exclusive = schema.get("exclusiveMinimum")
    return exclusive + 1 if isinstance(exclusive, int | float) and exclusive is not True else 1


SCALARS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": lambda schema: False,
}


def synthesize(
    resolve: Callable[[Any], Any],
    schema: Any,
    known: Mapping[str, Any],
    name: str = "",
    depth: int = 0,
) -> Any:
    """An instance of ``schema`` (``resolve`` follows ``$ref``), or :data:`MISSING`."""
    schema = resolve(schema)
    if not isinstance(schema, Mapping) or depth > MAX_DEPTH or schema.get("readOnly"):
        return MISSING
    if key_of(name) in known and schema.get("format") == "uuid":
        return known[key_of(name)]
    value = _given(schema)
    if value is MISSING:
        value = _composite(resolve, schema, known, name, depth)
    if value is not MISSING:
        return value
    kind = next(iter(_types(schema)), None)
    if kind == "object":
        return _object(resolve, schema, known, depth)
    if kind == "array":
        return _array(resolve, schema, known, name, depth)
    return SCALARS[kind](schema) if kind in SCALARS else MISSING


def _array(
    resolve: Callable[[Any], Any],
    schema: Mapping[str, Any],
    known: Mapping[str, Any],
    name: str,
    depth: int,
) -> Any:
    """``[]``, or one item when ``minItems`` asks for at least one."""
    item = synthesize(resolve, schema.get("items", {}), known, name, depth + 1)
    return [item] if item is not MISSING and schema.get("minItems", 0) > 0 else []


def _composite(
    resolve: Callable[[Any], Any],
    schema: Mapping[str, Any],
    known: Mapping[str, Any],
    name: str,
    depth: int,
) -> Any:
    """``allOf`` merges its members' objects; ``oneOf``/``anyOf`` take the first member."""
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and all_of:
        merged: dict[str, Any] = {}
        for member in all_of:
            part = synthesize(resolve, member, known, name, depth + 1)
            if isinstance(part, dict):
                merged.update(part)
        return merged
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and members:
            return synthesize(resolve, members[0], known, name, depth + 1)
    return MISSING


def _object(
    resolve: Callable[[Any], Any], schema: Mapping[str, Any], known: Mapping[str, Any], depth: int
) -> Any:
    required = set(schema.get("required", []))
    out: dict[str, Any] = {}
    for prop, sub in (schema.get("properties") or {}).items():
        resolved = resolve(sub)
        wanted = prop in required or (
            isinstance(resolved, Mapping) and _given(resolved) is not MISSING
        )
        wanted = wanted or key_of(prop) in known
        if not wanted:
            continue
        value = synthesize(resolve, sub, known, prop, depth + 1)
        if value is not MISSING:
            out[prop] = value
    return out
