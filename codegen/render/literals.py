"""Python source text for JSON values, deterministic and exact.

Generated code embeds spec values (enums, defaults, whole schemas) as Python
literals. ``repr`` would almost do, but numbers need care: a spec's ``0.1``
must stay exactly ``0.1`` where the runtime compares exactly (it parses
request numbers as ``Decimal``), and must be a plain float inside JSON Schema
documents handed to ``jsonschema`` and drf-spectacular.

``py_literal({"a": [1, 0.5, None]})`` -> ``'{"a": [1, 0.5, None]}'``;
``py_literal(0.5, exact=True)`` -> ``'decimal.Decimal("0.5")'``.
"""

from __future__ import annotations

import decimal
import json
import math
from typing import Any


def _number(value: float | decimal.Decimal, exact: bool) -> str:
    if isinstance(value, decimal.Decimal):
        if exact:
            return f'decimal.Decimal("{value}")'
        as_float = float(value)
    else:
        as_float = value
    if math.isinf(as_float) or math.isnan(as_float):
        return f'float("{as_float}")'
    if exact:
        return f'decimal.Decimal("{as_float!r}")'
    return repr(as_float)


def py_literal(value: Any, *, exact: bool = False) -> str:
    """Python source for a JSON value (dicts keep their order)."""
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float | decimal.Decimal):
        if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
            return repr(int(value)) if not exact else f'decimal.Decimal("{value}")'
        return _number(value, exact)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_literal(v, exact=exact) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{py_literal(str(k))}: {py_literal(v, exact=exact)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


def uses_decimal(text: str) -> bool:
    return "decimal.Decimal(" in text
