"""What a field expects, for turning parameter and form text into JSON values.

Query strings, headers, cookies, path segments and form fields are text. To
validate them strictly, the runtime first turns the text into the JSON value
the schema describes (``"5"`` -> ``5`` for an integer, ``"a,b"`` -> ``["a", "b"]``
for a simple-style array), then lets the strict field judge it. Text that does
not look like the expected type stays text, so the field reports
"Must be of type integer." instead of a silent coercion.
"""

from __future__ import annotations

import decimal
import re
import sys
from typing import Any

from servicekit.contract.drf_types import Field
from servicekit.contract.fields import JsonField, Ref

_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")
_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
_INT_DIGITS = sys.get_int_max_str_digits() or sys.maxsize  # 0: no limit
# What separates the items of an array that is not exploded, by serialization style.
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def value_field(field: Field) -> JsonField | None:
    """The value gate of ``field``: itself, or the root of a named schema."""
    if isinstance(field, Ref):
        return field.serializer.gate
    return field if isinstance(field, JsonField) else None


def types_of(field: Field) -> tuple[str, ...]:
    gate = value_field(field)
    return gate.types if gate is not None else ()


def expects(field: Field, kind: str) -> bool:
    """Whether ``field`` accepts JSON values of ``kind`` (``array``/``object``)."""
    types = types_of(field)
    return kind in types or (not types and _has_members(field) and kind == "object")


def _has_members(field: Field) -> bool:
    return isinstance(field, Ref) and field.target.has_members


def item_field(field: Field) -> Field | None:
    gate = value_field(field)
    return gate.items if gate is not None else None


def member_fields(field: Field) -> dict[str, Field]:
    """Declared properties of an object field (``{}`` for free-form maps)."""
    if isinstance(field, Ref):
        return dict(field.serializer.fields)
    return {}


def coerce_scalar(text: str, field: Field | None) -> Any:
    """Text -> the JSON scalar ``field`` wants.

    ``coerce_scalar("5", Integer())`` -> ``5``; ``coerce_scalar("true", Boolean())``
    -> ``True``; ``coerce_scalar("x", Integer())`` -> ``"x"`` (rejected later).
    """
    types = types_of(field) if field is not None else ()
    candidates = types or ("integer", "number", "boolean", "string")
    for kind in candidates:
        if kind == "integer" and _INT.match(text):
            return _integer(text)
        if kind == "number" and _NUMBER.match(text):
            return _integer(text) if _INT.match(text) else decimal.Decimal(text)
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind == "null" and text in ("", "null"):
            return None
        if kind == "string":
            return text
    return text


def _integer(text: str) -> int | decimal.Decimal:
    """An integer's text as a number. Past Python's int/str conversion limit
    (4,300 digits: ``int()`` raises, and so would every message that prints
    the value) it stays a ``Decimal``, which JSON Schema still counts as an
    integer, so ``maximum`` refuses it with a 400 instead of a 500."""
    if len(text) > _INT_DIGITS:
        return decimal.Decimal(text)
    return int(text)


def delimiter(style: str | None) -> str:
    """``"pipeDelimited"`` -> ``"|"``; ``form``, ``simple`` and no style -> ``","``."""
    return _DELIMITERS.get(style or "form", ",")


def coerce_items(parts: list[str], field: Field) -> list[Any]:
    items = item_field(field)
    return [coerce_scalar(part, items) for part in parts]


def coerce_members(pairs: list[tuple[str, str]], field: Field) -> dict[str, Any]:
    """``[("role", "admin"), ("age", "3")]`` -> ``{"role": "admin", "age": 3}``
    with member types from ``field``; array members collect repeated keys."""
    members = member_fields(field)
    out: dict[str, Any] = {}
    for key, text in pairs:
        member = members.get(key)
        if member is not None and expects(member, "array"):
            out.setdefault(key, []).append(coerce_scalar(text, item_field(member)))
        else:
            out[key] = coerce_scalar(text, member)
    return out
