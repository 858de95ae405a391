"""JSON value semantics that Python's ``==`` and ``isinstance`` get wrong.

JSON Schema compares values as JSON: ``1 == 1.0`` but ``true != 1``, and
``isinstance(True, int)`` must not make ``true`` an integer. Everything in the
contract runtime that asks "what JSON type is this?" or "are these equal?"
asks here.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import enum
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


_SCALAR_TYPES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "boolean"),  # before int: bool is an int subclass
    (int, "integer"),
    ((float, decimal.Decimal), "number"),
    (str, "string"),
    ((list, tuple), "array"),
    (Mapping, "object"),
)


def json_type(value: Any) -> str | None:
    """The JSON type of a parsed JSON value; ``None`` for anything else.

    ``json_type(True)`` -> ``"boolean"``; ``json_type(2.0)`` -> ``"number"``
    (see :func:`type_allowed` for "2.0 is an integer").
    """
    if value is None:
        return "null"
    for kind, name in _SCALAR_TYPES:
        if isinstance(value, kind):
            return name
    return None


def is_integral(value: Any) -> bool:
    """JSON Schema counts ``2.0`` as an integer, never ``true``."""
    kind = json_type(value)
    if kind == "integer":
        return True
    if kind == "number":
        try:
            return bool(value == int(value))
        except (OverflowError, ValueError, decimal.InvalidOperation):
            return False
    return False


def type_allowed(value: Any, types: Sequence[str]) -> bool:
    """Whether ``value`` is one of the JSON ``types`` (``()`` allows any JSON value)."""
    kind = json_type(value)
    if kind is None:
        return False
    if not types or kind in types:
        return True
    if kind == "integer" and "number" in types:
        return True
    return "integer" in types and is_integral(value)


def json_equal(left: Any, right: Any) -> bool:
    """Equality as JSON defines it.

    ``json_equal(1, 1.0)`` -> True; ``json_equal(True, 1)`` -> False;
    ``json_equal({"a": [1]}, {"a": [1.0]})`` -> True.
    """
    lt, rt = json_type(left), json_type(right)
    numeric = {"integer", "number"}
    if lt in numeric and rt in numeric:
        return bool(left == right)
    if lt != rt:
        return False
    if lt == "array":
        return len(left) == len(right) and all(
            json_equal(a, b) for a, b in zip(left, right, strict=True)
        )
    if lt == "object":
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    return bool(left == right)


def first_duplicate(items: Sequence[Any]) -> tuple[int, int] | None:
    """Indices ``(i, j)`` of the first pair of JSON-equal items, or ``None``.

    ``first_duplicate([1, True, 1.0])`` -> ``(0, 2)``.
    """
    for j in range(1, len(items)):
        for i in range(j):
            if json_equal(items[i], items[j]):
                return (i, j)
    return None


def _iso_duration(value: datetime.timedelta) -> str:
    """``timedelta(days=1, seconds=90)`` -> ``"P1DT90S"``."""
    seconds = value.seconds + value.microseconds / 1_000_000
    text = f"P{value.days}D" if value.days else "P"
    if seconds or not value.days:
        shown = int(seconds) if seconds == int(seconds) else seconds
        text += f"T{shown}S"
    return text


def _decimal_to_json(value: decimal.Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


_CONVERTERS: tuple[tuple[type | tuple[type, ...], Any], ...] = (
    (decimal.Decimal, _decimal_to_json),
    ((datetime.datetime, datetime.date, datetime.time), lambda v: v.isoformat()),
    (datetime.timedelta, _iso_duration),
    (uuid.UUID, str),
    (enum.Enum, lambda v: to_json(v.value)),
    (bytes, lambda v: base64.b64encode(v).decode("ascii")),
    (Mapping, lambda v: {str(k): to_json(i) for k, i in v.items()}),
    ((list, tuple, set, frozenset), lambda v: [to_json(i) for i in v]),
)


def to_json(value: Any) -> Any:
    """Turn what a handler returned into plain JSON values.

    Dates and times become ISO 8601 strings, UUIDs their canonical text,
    ``Decimal`` an ``int`` or ``float``, enums their value, bytes base64,
    dataclasses dicts. ``to_json({"at": date(2024, 1, 2)})`` -> ``{"at": "2024-01-02"}``.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    for kind, convert in _CONVERTERS:
        if isinstance(value, kind):
            return convert(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return str(value)
