"""Python type expressions for parameters, request bodies and return values.

Named schemas refer to the generated models (in the direction the value
travels); unnamed scalars and arrays are spelled out. Every expression is
written for a module that does ``from . import models`` and imports the
names in :data:`TYPING_IMPORTS`.

``type_expr(Schema(types=("string",), format="uuid"), ...)`` -> ``"UUID"``;
``type_expr(Schema(types=("array",), items=SchemaRef("Product")), ..., "response")``
-> ``"list[models.ProductResponse]"``;
``type_expr(Schema(types=("string",), enum=("a", "b")), ...)`` -> ``"Literal['a', 'b']"``.
"""

from __future__ import annotations

from codegen.core.ir.model import Api, Schema, SchemaNode, SchemaRef
from codegen.core.openapi import Direction
from codegen.generator.sdk.models import ModelNames

# (JSON type, format) -> Python type; format None is the fallback for the type.
_SCALARS: dict[tuple[str, str | None], str] = {
    ("string", None): "str",
    ("string", "uuid"): "UUID",
    ("string", "date-time"): "datetime",
    ("string", "date"): "date",
    ("string", "time"): "time",
    ("string", "binary"): "bytes",
    ("integer", None): "int",
    ("number", None): "float",
    ("boolean", None): "bool",
    ("null", None): "None",
    ("object", None): "dict[str, Any]",
}

TYPING_IMPORTS: tuple[str, ...] = (
    "from datetime import date, datetime, time",
    "from typing import Any, Literal",
    "from uuid import UUID",
)


def type_expr(node: SchemaNode | None, api: Api, names: ModelNames, direction: Direction) -> str:
    """The Python type of a value of schema ``node`` travelling in ``direction``."""
    if node is None:
        return "Any"
    if isinstance(node, SchemaRef):
        model = names.request(node.name) if direction == "request" else names.response(node.name)
        # DCG spells a reference to a nullable schema "Model | None"
        nullable = node.name in api.schemas and api.schemas[node.name].nullable
        return f"models.{model} | None" if nullable else f"models.{model}"
    if node.name is not None and node.name in names.request_names:
        return type_expr(SchemaRef(node.name), api, names, direction)
    if node.enum is not None:
        return _literal(node.enum)
    if not node.types:
        return "Any"
    members = [_single(kind, node, api, names, direction) for kind in node.types]
    return " | ".join(dict.fromkeys(members))


def _single(kind: str, node: Schema, api: Api, names: ModelNames, direction: Direction) -> str:
    if kind == "array":
        return f"list[{type_expr(node.items, api, names, direction)}]"
    return _SCALARS.get((kind, node.format)) or _SCALARS.get((kind, None), "Any")


def _literal(values: tuple[object, ...]) -> str:
    literal = [repr(v) for v in values if v is not None and not isinstance(v, (dict, list))]
    if len(literal) != len([v for v in values if v is not None]):
        return "Any"
    parts = [f"Literal[{', '.join(literal)}]"] if literal else []
    if None in values:
        parts.append("None")
    return " | ".join(parts) or "None"


def union(types: list[str]) -> str:
    """``["A", "None", "A"]`` -> ``"A | None"`` (order kept, duplicates dropped)."""
    unique = list(dict.fromkeys(types))
    if "Any" in unique:
        return "Any"
    return " | ".join(unique) if unique else "None"
