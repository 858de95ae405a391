"""One test per rule the synthesizer must honour, checked on the value itself (not only
through the validator), over many seeds and both value strategies; and the rule that
binds them: a value that cannot be made valid is reported (``Unsatisfiable``), never
returned."""

from __future__ import annotations

import datetime
import ipaddress
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from codegen.core.synth import Policy, Unsatisfiable, Values, synthesize

SEEDS = range(25)
POLICIES = [Policy(seed=seed) for seed in SEEDS] + [Policy(values=Values.MINIMAL)]


def _values(schema: dict[str, Any]) -> list[Any]:
    return [synthesize(schema, policy) for policy in POLICIES]


def test_max_length_is_honoured() -> None:
    schema = {"type": "string", "minLength": 2, "maxLength": 3}
    assert all(2 <= len(value) <= 3 for value in _values(schema))


def test_pattern_is_honoured() -> None:
    pattern = "^[A-Z]{2}-[0-9]{3}(x|yz)?$"
    assert all(re.fullmatch(pattern[1:-1], value) for value in _values({"pattern": pattern}))


def test_pattern_and_max_length_together() -> None:
    schema = {"type": "string", "pattern": "^a+$", "maxLength": 2}
    assert all(value in ("a", "aa") for value in _values(schema))


@pytest.mark.parametrize("kind", ["integer", "number"])
def test_maximum_is_honoured(kind: str) -> None:
    schema = {"type": kind, "maximum": -5}
    assert all(value <= -5 for value in _values(schema))


def test_exclusive_maximum_is_honoured() -> None:
    schema = {"type": "number", "minimum": 0, "exclusiveMaximum": 1}
    assert all(0 <= value < 1 for value in _values(schema))


@pytest.mark.parametrize(
    ("schema", "step"),
    [
        ({"type": "integer", "multipleOf": 7, "minimum": 50, "maximum": 100}, 7),
        ({"type": "number", "multipleOf": 2.5, "minimum": 1}, 2.5),
    ],
)
def test_multiple_of_is_honoured(schema: dict[str, Any], step: float) -> None:
    values = _values(schema)
    assert all((value / step).is_integer() for value in values)
    assert all(
        value >= schema["minimum"] and value <= schema.get("maximum", value) for value in values
    )


def _date_time(text: str) -> bool:
    return datetime.datetime.fromisoformat(text).tzinfo is not None


FORMAT_CHECKS: dict[str, Callable[[str], object]] = {
    "uuid": lambda text: uuid.UUID(text).version == 4,
    "date": datetime.date.fromisoformat,
    "date-time": _date_time,
    "email": lambda text: re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", text),
    "ipv4": ipaddress.IPv4Address,
    "ipv6": ipaddress.IPv6Address,
    "uri": lambda text: re.match(r"https?://[^/\s]+/", text),
}


@pytest.mark.parametrize("format_name", sorted(FORMAT_CHECKS))
def test_formats_are_honoured(format_name: str) -> None:
    check = FORMAT_CHECKS[format_name]
    for value in _values({"type": "string", "format": format_name}):
        assert check(value), (format_name, value)


def test_format_values_vary_with_the_seed() -> None:
    ids = {synthesize({"type": "string", "format": "uuid"}, Policy(seed=seed)) for seed in SEEDS}
    assert len(ids) == len(SEEDS)


BODY: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "tags", "price"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string", "maxLength": 8},
        "tags": {"type": "array", "minItems": 1, "items": {"enum": ["a", "b", "c"]}},
        "price": {"type": "number", "multipleOf": 0.5, "maximum": 100},
        "note": {"type": "string", "pattern": "^[a-z]{4}$"},
    },
}


def test_deterministic_under_a_seed() -> None:
    for seed in SEEDS:
        assert synthesize(BODY, Policy(seed=seed)) == synthesize(BODY, Policy(seed=seed))
    assert len({repr(synthesize(BODY, Policy(seed=seed))) for seed in SEEDS}) > len(SEEDS) // 2


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "not": {"type": "string"}},
        {"type": "integer", "minimum": 1, "not": {"minimum": 0}},
        {
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "integer"}},
            "if": {},
            "then": False,
        },
    ],
    ids=["not", "not-bound", "if-then-false"],
)
@pytest.mark.parametrize("values", [Values.RANDOM, Values.MINIMAL])
def test_a_value_that_cannot_be_made_valid_is_reported_not_returned(
    schema: dict[str, Any], values: Values
) -> None:
    # the generator does not read `not` or `if`/`then`: only the validation of the
    # value it made can tell that the value is wrong
    with pytest.raises(Unsatisfiable):
        synthesize(schema, Policy(values=values))
