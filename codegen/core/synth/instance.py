"""Build a JSON value that validates against a JSON Schema (2020-12): the one synthesizer.

The mock's response data, the bodies ``specfirst test`` seeds a service with and the
calls an SDK's README shows all come from :func:`synthesize`; a
:class:`~codegen.core.synth.policy.Policy` says which of the valid values to choose.
The schema is self-contained (local ``#/$defs/...`` or ``#/components/...``
references into itself, 3.0 keywords already rewritten: the JSON Schema view of the
IR). ``allOf`` members are merged (:mod:`.merge`), ``oneOf``/``anyOf`` branches are
tried until one validates against the whole schema, properties the direction does
not send are left out, strings follow ``pattern`` (:mod:`.patterns`) and ``format``
(:mod:`.formats`), numbers their bounds and ``multipleOf``. Every result is checked
with :mod:`codegen.core.validator` (ECMA patterns, formats); when the first choice
is not valid the next attempts draw random values from the seed, and a schema
nothing satisfies raises :class:`Unsatisfiable`. The same schema, policy and seed
give the same value.

``synthesize({"type": "object", "required": ["id"], "properties": {"id":
{"type": "integer", "minimum": 10}}}, Policy(seed=1))`` -> ``{"id": 27}``;
with ``Policy(values=Values.MINIMAL)`` -> ``{"id": 10}``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

from codegen.core.openapi import UNSENT
from codegen.core.synth.formats import sample
from codegen.core.synth.merge import flatten, merge, without
from codegen.core.synth.patterns import PatternUnsatisfiable, string_for_pattern
from codegen.core.synth.policy import Optional, Policy, Values, key_of
from codegen.core.validator import validation_error

# Where a schema keeps its discriminator, its mapping pointing into the same document
# (written so by codegen.core.jsonschema.from_spec's ``discriminators`` option).
DISCRIMINATOR = "x-specfirst-discriminator"
HARD_DEPTH = 40
RETRIES = 6
INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class Unsatisfiable(ValueError):
    """No valid instance was found for a schema."""


_NOTHING: Any = object()  # no preferred value (None is a value)


class _Generator:
    def __init__(
        self, root: Mapping[str, Any], policy: Policy, values: Values, rng: random.Random
    ) -> None:
        self.root = root
        self.defs = {k: root[k] for k in ("$defs", "components") if k in root}
        self.policy = policy
        self.minimal = values is Values.MINIMAL
        self.rng = rng
        self.skip = UNSENT[policy.direction]

    def valid(self, schema: Any, instance: Any) -> bool:
        if not isinstance(schema, Mapping):
            return schema is not False
        whole = {**schema, **self.defs} if self.defs else schema
        return validation_error(whole, instance) is None

    def value(self, schema: Any, depth: int, name: str = "") -> Any:
        if depth > HARD_DEPTH:
            raise Unsatisfiable("the schema recurses without an end")
        if schema is False:
            raise Unsatisfiable("the schema is false")
        if schema is True or not isinstance(schema, Mapping):
            schema = {}
        flat = flatten(schema, self.root)
        preferred = self.preferred(flat, name)
        if preferred is not _NOTHING:
            return preferred
        if "const" in flat:
            return flat["const"]
        if isinstance(flat.get("enum"), list) and flat["enum"]:
            return self.enum(flat)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(flat.get(keyword), list) and flat[keyword]:
                return self.choice(flat, keyword, depth, name)
        kind = self.kind(flat)
        return getattr(self, f"make_{kind}")(flat, depth, name)

    def preferred(self, flat: Mapping[str, Any], name: str) -> Any:
        """A known value for a property of this name, else (when the policy prefers
        them) the schema's own example or default: the first that is valid."""
        known = self.policy.known
        if name and key_of(name) in known and self.valid(flat, known[key_of(name)]):
            return known[key_of(name)]
        if self.policy.examples:
            for given in _given(flat):
                if self.valid(flat, given):
                    return given
        return _NOTHING

    def enum(self, flat: Mapping[str, Any]) -> Any:
        values = list(flat["enum"])
        rest = without(flat, "enum")
        if self.minimal:  # declared order, a null last
            ordered = [v for v in values if v is not None] + [v for v in values if v is None]
            return next((v for v in ordered if self.valid(rest, v)), ordered[0])
        start = self.rng.randrange(len(values))
        for value in values[start:] + values[:start]:
            if self.valid(rest, value):
                return value
        return values[start]

    def choice(self, flat: Mapping[str, Any], keyword: str, depth: int, name: str) -> Any:
        branches = list(flat[keyword])
        start = 0 if self.minimal else self.rng.randrange(len(branches))
        base = without(flat, keyword)
        candidate: Any = None
        for branch in branches[start:] + branches[:start]:
            try:
                candidate = self.value(merge(base, branch, self.root), depth, name)
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

    def make_null(self, flat: Mapping[str, Any], depth: int, name: str) -> None:
        return None

    def make_boolean(self, flat: Mapping[str, Any], depth: int, name: str) -> bool:
        return False if self.minimal else self.rng.random() < 0.5

    def make_integer(self, flat: Mapping[str, Any], depth: int, name: str) -> int | float:
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
        if lo is not None and hi is not None and lo > hi:
            raise Unsatisfiable(f"no integer between {low} and {high}")
        if self.minimal:  # the lower bound, else 1 (or the upper bound when below 1)
            return lo if lo is not None else 1 if hi is None or hi >= 1 else hi
        if hi is None:
            return self.rng.randint(1, 1000) if lo is None else self.rng.randint(lo, lo + 1000)
        if lo is None:
            return self.rng.randint(1, hi) if hi >= 1 else hi
        return self.rng.randint(lo, hi) if hi - lo < 10**12 else lo + self.rng.randint(0, 1000)

    def multiple(self, step: float, low: float | None, high: float | None) -> int | float:
        first = math.ceil(low / step) if low is not None else 1
        last = math.floor(high / step) if high is not None else first + 10
        if first > last:
            raise Unsatisfiable(f"no multiple of {step} between {low} and {high}")
        factor = first if self.minimal else self.rng.randint(first, min(last, first + 10))
        value = factor * step
        return int(value) if float(value).is_integer() else value

    def make_number(self, flat: Mapping[str, Any], depth: int, name: str) -> float | int:
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

    def make_string(self, flat: Mapping[str, Any], depth: int, name: str) -> str:
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
        if self.minimal:
            return ("x" * max(min_length, 1))[:max_length]
        text = f"{self.rng.choice(_WORDS)}{self.rng.randint(1, 99)}"
        if len(text) < min_length:
            text = (text * (min_length // len(text) + 1))[:min_length]
        return text[:max_length] if max_length is not None else text

    def make_array(self, flat: Mapping[str, Any], depth: int, name: str) -> list[Any]:
        listed = flat.get("prefixItems")
        prefix: list[Any] = listed if isinstance(listed, list) else []
        items = flat.get("items", {})
        minimum = int(flat.get("minItems", 0) or 0)
        maximum = flat.get("maxItems")
        wanted = minimum if self.minimal else max(minimum, int(depth < self.policy.max_depth))
        if isinstance(maximum, int):
            wanted = min(wanted, maximum)
        out: list[Any] = [self.value(s, depth + 1, name) for s in prefix[:wanted]]
        attempts = 0
        while len(out) < wanted and items is not False and attempts < wanted * 8 + 8:
            attempts += 1
            item = self.value(items, depth + 1, name)
            if flat.get("uniqueItems") and item in out:
                continue
            out.append(item)
        contains = flat.get("contains")
        if contains is not None and not any(self.valid(contains, item) for item in out):
            out.append(self.value(contains, depth + 1, name))
        return out

    def make_object(self, flat: Mapping[str, Any], depth: int, name: str) -> dict[str, Any]:
        properties: Mapping[str, Any] = flat.get("properties") or {}
        required = [n for n in flat.get("required", []) if isinstance(n, str)]
        limit = flat.get("maxProperties")
        names = list(dict.fromkeys(required))
        if depth < self.policy.max_depth:
            names += [n for n in properties if n not in names and self.wanted(n, properties[n])]
        if isinstance(limit, int):
            names = names[: max(limit, len(required))]
        extra = flat.get("additionalProperties", {})
        out: dict[str, Any] = {}
        for prop in names:
            member = properties.get(prop, extra if prop not in properties else {})
            out[prop] = self.value(member if member is not False else {}, depth + 1, prop)
        index = 0
        while len(out) < int(flat.get("minProperties", 0) or 0) and extra is not False:
            index += 1
            out.setdefault(f"key{index}", self.value(extra, depth + 1))
        return out

    def wanted(self, name: str, member: Any) -> bool:
        """Whether the optional property ``name`` goes in (see :class:`Optional`)."""
        if not isinstance(member, Mapping):
            return member is not False and self.policy.optional is Optional.ALL
        flat = flatten(member, self.root)
        if flat.get(self.skip) or self.policy.optional is Optional.NONE:
            return False
        if self.policy.optional is Optional.ALL:
            return True
        informative = ("example", "examples", "default", "const", "enum")
        return key_of(name) in self.policy.known or any(k in flat for k in informative)


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


def _given(flat: Mapping[str, Any]) -> list[Any]:
    """The schema's own values: ``example`` (OpenAPI), ``examples`` (2020-12), ``default``."""
    listed = flat.get("examples")
    found = [flat["example"]] if "example" in flat else []
    found += list(listed) if isinstance(listed, list) else []
    return found + ([flat["default"]] if "default" in flat else [])


def synthesize(schema: Mapping[str, Any] | bool, policy: Policy | None = None) -> Any:
    """A value valid against ``schema``, chosen by ``policy`` (default: random data from
    seed 0, in the response direction); raises :class:`Unsatisfiable`."""
    policy = policy or Policy()
    root = schema if isinstance(schema, Mapping) else {}
    problem = "no attempt"
    for attempt in range(RETRIES):
        values = policy.values if attempt == 0 else Values.RANDOM
        generator = _Generator(root, policy, values, random.Random(policy.seed + attempt))
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
