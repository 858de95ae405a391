"""Example values for the generated README, made from the spec's schemas.

A value comes from the schema's own ``examples``, else its ``default``, else
its first ``enum`` value, else a placeholder for its type and format; objects
list their required properties only. Recursion stops at depth 4.

``example_value(Schema(types=("object",), properties=(Property("sku", "sku",
Schema(types=("string",), examples=("MUG-1",)), True),)), api)`` -> ``{"sku": "MUG-1"}``.
"""

from __future__ import annotations

from typing import Any

from codegen.core.ir.model import MISSING, Api, Schema, SchemaNode

_PLACEHOLDERS: dict[tuple[str, str | None], Any] = {
    ("string", "uuid"): "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    ("string", "date-time"): "2024-01-01T00:00:00Z",
    ("string", "date"): "2024-01-01",
    ("string", "email"): "user@example.com",
    ("string", "uri"): "https://example.com",
    ("string", None): "string",
    ("integer", None): 1,
    ("number", None): 1.5,
    ("boolean", None): True,
    ("array", None): [],
    ("object", None): {},
    ("null", None): None,
}
MAX_DEPTH = 4


def example_value(node: SchemaNode | None, api: Api, depth: int = 0) -> Any:
    """A JSON value that fits ``node`` (best effort; for documentation)."""
    if node is None or depth > MAX_DEPTH:
        return None
    schema = api.resolve(node)
    given = _given(schema)
    if given is not MISSING:
        return given
    for member in (*schema.all_of, *schema.one_of, *schema.any_of)[:1]:
        value = example_value(member, api, depth + 1)
        if value is not None:
            return value
    if schema.properties:
        return {
            p.name: example_value(p.schema, api, depth + 1)
            for p in schema.properties
            if p.required and not api.resolve(p.schema).read_only
        }
    return _placeholder(schema, api, depth)


def _placeholder(schema: Schema, api: Api, depth: int) -> Any:
    kinds = schema.non_null_types or ("string",)
    if kinds[0] == "array":
        return [example_value(schema.items, api, depth + 1)] if schema.items else []
    if kinds[0] == "string" and schema.pattern is None and schema.min_length:
        return "x" * schema.min_length
    return _PLACEHOLDERS.get((kinds[0], schema.format), _PLACEHOLDERS.get((kinds[0], None)))


def _given(schema: Schema) -> Any:
    """The schema's own example, const, default or first enum value, else MISSING."""
    if schema.examples:
        return schema.examples[0]
    if schema.const is not MISSING:
        return schema.const
    if schema.default is not MISSING:
        return schema.default
    return schema.enum[0] if schema.enum else MISSING
