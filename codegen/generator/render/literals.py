"""Python source text for JSON values, deterministic and exact.

Generated code embeds spec values (enums, defaults, whole schemas) as Python
literals. Numbers need care: a spec's ``0.1`` must stay exactly ``0.1``
where the runtime compares exactly (it parses request numbers as
``Decimal``), and must be a plain float inside JSON Schema documents handed
to ``jsonschema`` and drf-spectacular.

``py_literal({"a": [1, 0.5, None]})`` -> ``"{'a': [1, 0.5, None]}"`` (ruff
format later normalises the quotes); ``py_literal(0.5, exact=True)`` ->
``'decimal.Decimal("0.5")'``.
"""

from __future__ import annotations

import decimal
import json
import math
from json.encoder import encode_basestring
from typing import Any


def _string(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``, without its per-call setup
    (generated code for GitHub's spec holds 135,000 strings)."""
    return encode_basestring(text)


def _exact_number(value: float | decimal.Decimal) -> str:
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value() and value.as_tuple().exponent == 0:
            return repr(int(value))
        return f'decimal.Decimal("{value}")'
    if math.isinf(value) or math.isnan(value):
        raise ValueError(f"not a JSON number: {value!r}")
    return f'decimal.Decimal("{value!r}")'


def _exact(value: Any) -> str:
    """Numbers with a fraction become ``decimal.Decimal("...")``, as written."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_exact(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(str(k))}: {_exact(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float | decimal.Decimal):
        return _exact_number(value)
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"not a JSON value: {value!r}")


def _plain(value: Any) -> Any:
    """``value`` with every ``Decimal`` as a float or int, checked to be JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        raise ValueError(f"not a JSON number: {value!r}")
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"not a JSON value: {value!r}")


def py_literal(value: Any, *, exact: bool = False) -> str:
    """Python source for a JSON value (dicts keep their order).

    Plain literals are ``repr`` of plain JSON values: fast on schemas with
    thousands of nodes, and valid Python.
    """
    if exact:
        return _exact(value)
    if isinstance(value, str):
        return _string(value)
    return repr(_plain(value))


def json_text(value: Any) -> str:
    """Compact JSON text for a JSON value (dicts keep their order), for data the
    generated code reads with ``json.loads``: Python parses that far faster than
    it compiles the same value written as a literal (see ``schemas.json``).

    >>> json_text({"a": [1, 0.5, None], "é": True})
    '{"a":[1,0.5,null],"é":true}'
    """
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def uses_decimal(text: str) -> bool:
    return "decimal.Decimal(" in text


def docline(text: object) -> str:
    r"""One line of text that is safe inside a triple-quoted docstring: a spec's
    ``D:\Users`` must not become a ``\U`` escape (a syntax error), nor three
    quotes end the docstring.

    >>> print(docline('C:\\Users "quoted"\n  next'))
    C:\\Users "quoted" next
    """
    flat = " ".join(str(text).split())
    return flat.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip('"')
