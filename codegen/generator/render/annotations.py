"""IR schema nodes -> the Python annotation of the value a handler receives.

The runtime validates every parameter and converts it by one table,
``servicekit.contract.formats`` (``format: uuid`` -> ``uuid.UUID``, a ``number``
-> ``Decimal``); these annotations name what that table returns, so a handler's
signature is true at run time. ``tests/servicekit/test_formats.py`` checks the
two tables agree.

``annotation(api, Schema(types=("string",), format="uuid"))`` -> ``"uuid.UUID"``;
``annotation(api, Schema(types=("string",), enum=("a", "b")))`` -> ``"t.Literal['a', 'b']"``.
Anything whose runtime value no single type describes (several types,
composition, a schema checked as written) is ``t.Any``: never a type that lies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from codegen.core.ir.model import MISSING, Api, Schema, SchemaNode
from codegen.generator.render.literals import py_literal

# JSON type -> annotation (one non-null type, no converting format).
JSON_TYPES: Mapping[str, str] = {
    "string": "str",
    "integer": "int",
    "number": "decimal.Decimal",
    "boolean": "bool",
    "object": "dict[str, t.Any]",
}
# ``format`` of a string -> the type ``servicekit.contract.formats`` converts it to.
STRING_FORMATS: Mapping[str, str] = {
    "binary": "bytes",
    "byte": "bytes",
    "date": "datetime.date",
    "date-time": "datetime.datetime",
    "decimal": "decimal.Decimal",
    "duration": "datetime.timedelta",
    "ipv4": "ipaddress.IPv4Address",
    "ipv6": "ipaddress.IPv6Address",
    "time": "datetime.time",
    "uuid": "uuid.UUID",
}
# ``format`` of a number whose value is a binary float.
FLOAT_FORMATS = frozenset({"float", "double"})
# Modules an annotation may name (imported by the generated module when used).
MODULES = ("datetime", "decimal", "ipaddress", "uuid")
_TYPING = re.compile(r"\bt\.")  # an annotation naming ``typing as t``


def _opaque(schema: Schema) -> bool:
    """The runtime value is not described by the schema's type alone."""
    return bool(
        schema.all_of
        or schema.one_of
        or schema.any_of
        or schema.as_written is not None
        or len(schema.non_null_types) != 1
    )


def _literal(schema: Schema, kind: str) -> str | None:
    """``t.Literal[...]`` for an enum of strings or integers that no format converts."""
    values = [v for v in schema.enum or () if v is not None]
    if not values or (kind == "string" and schema.format in STRING_FORMATS):
        return None
    wanted: type = str if kind == "string" else int
    if kind not in ("string", "integer") or not all(type(v) is wanted for v in values):
        return None
    return f"t.Literal[{', '.join(py_literal(v) for v in values)}]"


def _scalar(schema: Schema, kind: str) -> str:
    if kind == "string":
        return STRING_FORMATS.get(schema.format or "", "str")
    if kind == "number" and schema.format in FLOAT_FORMATS:
        return "float"
    return JSON_TYPES[kind]


def _base(api: Api, schema: Schema) -> str:
    if _opaque(schema):
        return "t.Any"
    kind = schema.non_null_types[0]
    if kind == "array":
        items = schema.items
        return (
            "list[t.Any]"
            if items is None or schema.prefix_items
            else f"list[{annotation(api, items)}]"
        )
    return _literal(schema, kind) or _scalar(schema, kind)


def annotation(api: Api, node: SchemaNode | None) -> str:
    """The annotation of a validated value of ``node`` (``| None`` when it may be null)."""
    if node is None:
        return "t.Any"
    schema = api.resolve(node)
    text = _base(api, schema)
    if text != "t.Any" and "null" in schema.types:
        text += " | None"
    return text


def parameter_annotation(api: Api, node: SchemaNode | None, *, required: bool) -> str:
    """A handler argument: ``None`` when optional, absent and without a default.

    Defaults come from an inline schema only, as the runtime's parameter fields
    apply them (a ``$ref`` parameter schema carries none).
    """
    text = annotation(api, node)
    has_default = (
        isinstance(node, Schema) and node.default is not MISSING and node.default is not None
    )
    if required or has_default or text == "t.Any" or text.endswith(" | None"):
        return text
    return text + " | None"


def modules_used(annotations: list[str]) -> list[str]:
    """What generated code must import for the annotations it prints, sorted:
    ``["datetime", "typing as t", "uuid"]`` (``t.Any`` names ``typing as t``).

    >>> modules_used(["tuple[t.Any, ...]", "uuid.UUID | None"])
    ['typing as t', 'uuid']
    """
    text = " ".join(annotations)
    used = [module for module in MODULES if f"{module}." in text]
    if _TYPING.search(text):
        used.append("typing as t")
    return sorted(used)
