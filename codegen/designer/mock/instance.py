"""Build a JSON value that validates against a JSON Schema (2020-12).

The schema is self-contained (``codegen.designer.lint.json_schema.to_json_schema``
output: local ``#/$defs/...`` references, 3.0 keywords already rewritten).
Generation is deterministic for a given seed and minimal where it must be:
optional properties are included down to ``max_depth`` (so recursive schemas
stop), arrays hold ``minItems`` items (at least one above the depth limit),
``oneOf``/``anyOf`` branches are tried until one validates against the whole
schema, ``allOf`` members are merged, ``writeOnly`` properties are left out of
responses (``readOnly`` ones out of requests). Every result is checked with
``jsonschema`` (ECMA patterns, formats); a schema nothing satisfies raises
:class:`Unsatisfiable`.

``generate({"type": "object", "required": ["id"], "properties": {"id":
{"type": "integer", "minimum": 10}}}, seed=1)`` -> ``{"id": 27}``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

from codegen.designer.lint.rules.examples import FORMAT_CHECKER, ExampleValidator
from codegen.designer.mock.formats import sample
from codegen.designer.mock.merge import flatten, merge, without
from codegen.designer.mock.regex_gen import PatternUnsatisfiable, string_for_pattern

DISCRIMINATOR = "x-specfirst-discriminator"  # kept by codegen.designer.mock.schema

RESPONSE, REQUEST = "response", "request"
MAX_DEPTH = 3
HARD_DEPTH = 40
RETRIES = 6
INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class Unsatisfiable(ValueError):
    """No valid instance was found for a schema."""


def validation_error(root: Mapping[str, Any] | bool, instance: Any) -> str | None:
    """The first validation error's message, or None when ``instance`` is valid."""
    validator = ExampleValidator(root, format_checker=FORMAT_CHECKER)
    error = next(iter(validator.iter_errors(instance)), None)
    return None if error is None else error.message


class _Generator:
    def __init__(self, root: Mapping[str, Any], rng: random.Random, context: str) -> None:
        self.root = root
        self.defs = root.get("$defs", {}) if isinstance(root, Mapping) else {}
        self.rng = rng
        self.skip = "writeOnly" if context == RESPONSE else "readOnly"

    def valid(self, schema: Any, instance: Any) -> bool:
        if not isinstance(schema, Mapping):
            return schema is not False
        whole = {**schema, "$defs": self.defs} if self.defs else schema
        return validation_error(whole, instance) is None

    def value(self, schema: Any, depth: int) -> Any:
        if depth > HARD_DEPTH:
            raise Unsatisfiable("the schema recurses without an end")
        if schema is False:
            raise Unsatisfiable("the schema is false")
        if schema is True or not isinstance(schema, Mapping):
            schema = {}
        flat = flatten(schema, self.root)
        if "const" in flat:
            return flat["const"]
        if isinstance(flat.get("enum"), list) and flat["enum"]:
            return self.enum(flat)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(flat.get(keyword), list) and flat[keyword]:
                return self.choice(flat, keyword, depth)
        kind = self.kind(flat)
        return getattr(self, f"make_{kind}")(flat, depth)

    def enum(self, flat: Mapping[str, Any]) -> Any:
        values = list(flat["enum"])
        start = self.rng.randrange(len(values))
        rest = without(flat, "enum")
        for value in values[start:] + values[:start]:
            if self.valid(rest, value):
                return value
        return values[start]

    def choice(self, flat: Mapping[str, Any], keyword: str, depth: int) -> Any:
        branches = list(flat[keyword])
        start = self.rng.randrange(len(branches))
        base = without(flat, keyword)
        candidate: Any = None
        for branch in branches[start:] + branches[:start]:
            try:
                candidate = self.value(merge(base, branch, self.root), depth)
            except Unsatisfiable:
                continue
            candidate = self.discriminated(flat, branch, candidate)
            if self.valid(flat, candidate):
                return candidate
        if candidate is None:
            raise Unsatisfiable(f"no {keyword} branch can be satisfied")
        return candidate

    def discriminated(self, flat: Mapping[str, Any], branch: Any, candidate: Any) -> Any:
        """Set the discriminator property to the value naming ``branch``, when
        the schema keeps one (``x-specfirst-discriminator``) and it stays valid."""
        info = flat.get(DISCRIMINATOR)
        if not (isinstance(info, Mapping) and isinstance(candidate, dict)):
            return candidate
        if not isinstance(branch, Mapping) or not isinstance(branch.get("$ref"), str):
            return candidate
        names = [v for v, ref in info.get("mapping", {}).items() if ref == branch["$ref"]]
        if not names:
            return candidate
        fixed = {**candidate, info["propertyName"]: names[0]}
        return fixed if self.valid(branch, fixed) else candidate

    def kind(self, flat: Mapping[str, Any]) -> str:
        declared = flat.get("type")
        if isinstance(declared, str):
            return declared if declared in _KINDS else "string"
        if isinstance(declared, list) and declared:
            solid = [k for k in declared if k != "null" and k in _KINDS]
            return solid[0] if solid else "null"
        for kind, keywords in _INFERRED:
            if any(k in flat for k in keywords):
                return kind
        return "string"

    def make_null(self, flat: Mapping[str, Any], depth: int) -> None:
        return None

    def make_boolean(self, flat: Mapping[str, Any], depth: int) -> bool:
        return self.rng.random() < 0.5

    def make_integer(self, flat: Mapping[str, Any], depth: int) -> int:
        start, end = INT_BOUNDS.get(str(flat.get("format")), (None, None))
        low = _bound(start, flat.get("minimum"), flat.get("exclusiveMinimum"), up=True)
        high = _bound(end, flat.get("maximum"), flat.get("exclusiveMaximum"), up=False)
        step = flat.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            return self.multiple(step, low, high)
        return self.integer_between(low, high)

    def integer_between(self, low: float | None, high: float | None) -> int:
        lo = math.ceil(low) if low is not None else None
        hi = math.floor(high) if high is not None else None
        if lo is None and hi is None:
            return self.rng.randint(1, 1000)
        if lo is None:
            return self.rng.randint(min(1, hi), hi) if hi is not None and hi >= 1 else hi  # type: ignore[return-value]
        if hi is None:
            return self.rng.randint(lo, lo + 1000)
        if lo > hi:
            raise Unsatisfiable(f"no integer between {low} and {high}")
        return self.rng.randint(lo, hi) if hi - lo < 10**12 else lo + self.rng.randint(0, 1000)

    def multiple(self, step: float, low: float | None, high: float | None) -> int:
        first = math.ceil(low / step) if low is not None else 1
        last = math.floor(high / step) if high is not None else first + 10
        if first > last:
            raise Unsatisfiable(f"no multiple of {step} between {low} and {high}")
        value = self.rng.randint(first, min(last, first + 10)) * step
        return int(value) if float(value).is_integer() else value  # type: ignore[return-value]

    def make_number(self, flat: Mapping[str, Any], depth: int) -> float | int:
        low = _bound(None, flat.get("minimum"), flat.get("exclusiveMinimum"), up=True)
        high = _bound(None, flat.get("maximum"), flat.get("exclusiveMaximum"), up=False)
        step = flat.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            return self.multiple(step, low, high)
        try:
            return self.integer_between(low, high)
        except Unsatisfiable:
            lo = _first_number(flat.get("exclusiveMinimum"), flat.get("minimum"))
            hi = _first_number(flat.get("exclusiveMaximum"), flat.get("maximum"))
            if lo is None or hi is None or lo > hi:
                raise
            return (lo + hi) / 2

    def make_string(self, flat: Mapping[str, Any], depth: int) -> str:
        min_length = int(flat.get("minLength", 0) or 0)
        max_length = flat.get("maxLength")
        max_length = int(max_length) if isinstance(max_length, int | float) else None
        pattern = flat.get("pattern")
        if isinstance(pattern, str):
            try:
                return string_for_pattern(pattern, self.rng, min_length, max_length)
            except PatternUnsatisfiable as exc:
                raise Unsatisfiable(str(exc)) from None
        text = sample(str(flat.get("format")), self.rng) if "format" in flat else None
        if text is not None and min_length <= len(text) <= (max_length or len(text)):
            return text
        text = f"{self.rng.choice(_WORDS)}{self.rng.randint(1, 99)}"
        if len(text) < min_length:
            text = (text * (min_length // len(text) + 1))[:min_length]
        return text[:max_length] if max_length is not None else text

    def make_array(self, flat: Mapping[str, Any], depth: int) -> list[Any]:
        listed = flat.get("prefixItems")
        prefix: list[Any] = listed if isinstance(listed, list) else []
        items = flat.get("items", {})
        minimum = int(flat.get("minItems", 0) or 0)
        maximum = flat.get("maxItems")
        wanted = max(minimum, 1 if depth < MAX_DEPTH else 0)
        if isinstance(maximum, int):
            wanted = min(wanted, maximum)
        out: list[Any] = [self.value(s, depth + 1) for s in prefix[:wanted]]
        attempts = 0
        while len(out) < wanted and items is not False and attempts < wanted * 8 + 8:
            attempts += 1
            item = self.value(items, depth + 1)
            if flat.get("uniqueItems") and item in out:
                continue
            out.append(item)
        contains = flat.get("contains")
        if contains is not None and not any(self.valid(contains, item) for item in out):
            out.append(self.value(contains, depth + 1))
        return out

    def make_object(self, flat: Mapping[str, Any], depth: int) -> dict[str, Any]:
        properties: Mapping[str, Any] = flat.get("properties") or {}
        required = [n for n in flat.get("required", []) if isinstance(n, str)]
        limit = flat.get("maxProperties")
        names = list(dict.fromkeys(required))
        if depth < MAX_DEPTH:
            names += [n for n in properties if n not in names and not self.skipped(properties[n])]
        if isinstance(limit, int):
            names = names[: max(limit, len(required))]
        extra = flat.get("additionalProperties", {})
        out: dict[str, Any] = {}
        for name in names:
            member = properties.get(name, extra if name not in properties else {})
            out[name] = self.value(member if member is not False else {}, depth + 1)
        index = 0
        while len(out) < int(flat.get("minProperties", 0) or 0) and extra is not False:
            index += 1
            out.setdefault(f"key{index}", self.value(extra, depth + 1))
        return out

    def skipped(self, member: Any) -> bool:
        if not isinstance(member, Mapping):
            return member is False
        return bool(flatten(member, self.root).get(self.skip))


_KINDS = ("null", "boolean", "integer", "number", "string", "array", "object")
_INFERRED = (
    ("object", ("properties", "required", "additionalProperties", "minProperties")),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "contains")),
    ("string", ("pattern", "format", "minLength", "maxLength")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
)
_WORDS = ("mock", "sample", "value", "item", "demo")


def _bound(start: float | None, inclusive: Any, exclusive: Any, *, up: bool) -> float | None:
    """The tightest bound from a format range, ``minimum``/``exclusiveMinimum``."""
    bounds = [b for b in (start,) if b is not None]
    if isinstance(inclusive, int | float) and not isinstance(inclusive, bool):
        bounds.append(inclusive)
    if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
        nudge = 1 if float(exclusive).is_integer() else 1e-6
        bounds.append(exclusive + nudge if up else exclusive - nudge)
    if not bounds:
        return None
    return max(bounds) if up else min(bounds)


def _first_number(*values: Any) -> float | None:
    return next((v for v in values if isinstance(v, int | float) and not isinstance(v, bool)), None)


def generate(schema: Mapping[str, Any] | bool, *, seed: int, context: str = RESPONSE) -> Any:
    """A value valid against ``schema``; the same seed gives the same value."""
    problem = "no attempt"
    for attempt in range(RETRIES):
        root = schema if isinstance(schema, Mapping) else {}
        generator = _Generator(root, random.Random(seed + attempt), context)
        try:
            value = generator.value(schema, 0)
        except Unsatisfiable as exc:
            problem = str(exc)
            continue
        except RecursionError:
            raise Unsatisfiable("the schema recurses too deeply") from None
        error = validation_error(schema, value)
        if error is None:
            return value
        problem = error
    raise Unsatisfiable(problem)
