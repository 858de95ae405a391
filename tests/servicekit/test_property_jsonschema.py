"""Property: for generated schemas, the generated serializers accept exactly
the instances a JSON Schema validator (jsonschema, Draft 2020-12) accepts.

Hypothesis draws a schema, the real generator turns it into a package
(load, IR, render; ruff formatting skipped for speed), and random JSON
instances are judged by both. The reference validator is jsonschema with
ECMA-262 ``pattern`` semantics, as JSON Schema requires (Python's ``re`` and
ECMA differ on ``$``). Floats stay below 2**53 in magnitude: beyond that a
float is not the decimal number its JSON text denotes, and the runtime
(exact, decimal) and jsonschema (binary float) legitimately disagree on
``multipleOf``.
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError
from servicekit.contract.schemacheck import DIALECT, EcmaValidator
from servicekit.contract.serializers import ContractSerializer

from codegen.core import load_api
from codegen.generator.render.drf import render_drf

KEYS = ["a", "b", "c-d"]
_counter = itertools.count()

scalars = st.one_of(
    st.integers(min_value=-6, max_value=6),
    st.sampled_from([0.5, 1.5, -2.0, 4.0, 0.25]),
    st.text(alphabet="abc", max_size=5),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(min_value=-(2**50), max_value=2**50, allow_nan=False),
    st.text(alphabet="abcXYZ-1 é\n", max_size=6),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from([*KEYS, "e"]), inner, max_size=4)
    ),
    max_leaves=8,
)


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    string = st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(0, 5),
            "pattern": st.sampled_from(["^a", "b", "^[a-c]+$", "\\p{L}", "^\\d"]),
        },
    )
    number = st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number"])},
        optional={
            "minimum": st.integers(-5, 5),
            "maximum": st.integers(-5, 5),
            "exclusiveMinimum": st.integers(-5, 5),
            "exclusiveMaximum": st.integers(-5, 5),
            "multipleOf": st.integers(1, 4),
        },
    )
    other = st.sampled_from(
        [
            {"type": "boolean"},
            {"type": "null"},
            {},
            {"type": ["integer", "string"]},
            {"type": ["string", "null"]},
            {"type": "string", "format": "ipv4"},
        ]
    )
    enum = st.lists(scalars, min_size=1, max_size=3).map(lambda values: {"enum": values})
    const = scalars.map(lambda value: {"const": value})
    # Repeated branches weigh more: constrained strings and numbers matter most.
    branches = [string, string, number, number, number, other, enum, const]
    return st.sampled_from(branches).flatmap(lambda branch: branch)


def _extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    array = st.fixed_dictionaries(
        {"type": st.just("array"), "items": inner},
        optional={
            "minItems": st.integers(0, 2),
            "maxItems": st.integers(0, 3),
            "uniqueItems": st.booleans(),
        },
    )
    obj = st.builds(
        _object,
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
        st.data(),
        st.one_of(st.booleans(), inner),
        st.one_of(st.none(), st.integers(0, 2)),
    )
    composite = st.builds(
        lambda kind, members: {kind: members},
        st.sampled_from(["allOf", "anyOf", "oneOf"]),
        st.lists(inner, min_size=1, max_size=3),
    )
    negation = inner.map(lambda schema: {"not": schema})
    branches = [array, array, obj, obj, obj, composite, composite, negation]
    return st.sampled_from(branches).flatmap(lambda branch: branch)


def _object(
    properties: dict[str, Any], data: Any, additional: Any, min_props: int | None
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if properties:
        required = data.draw(st.lists(st.sampled_from(sorted(properties)), unique=True))
        if required:
            schema["required"] = required
    if additional is not True:
        schema["additionalProperties"] = additional
    if min_props is not None:
        schema["minProperties"] = min_props
    return schema


@st.composite
def schemas(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    """A schema: leaves (constrained scalars, enum, const) weigh most; nested
    arrays, objects and compositions appear down to depth 2."""
    nested = st.deferred(lambda: schemas(depth + 1))
    kinds = ["leaf"] * 3 + (["extend"] * 2 if depth < 2 else [])
    if draw(st.sampled_from(kinds)) == "leaf":
        return draw(_leaf())
    return draw(_extend(nested))


def _generate(schema: dict[str, Any], root: Path) -> type[ContractSerializer]:
    name = f"sf_prop_{next(_counter)}"
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "p", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Subject": schema}},
    }
    spec_path = root / f"{name}.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    api, diagnostics = load_api(spec_path, validate=False)
    assert api is not None, [d.format() for d in diagnostics]
    package = root / name
    package.mkdir()
    for rel, text in render_drf(api).items():
        (package / rel).write_text(text, encoding="utf-8")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    module = importlib.import_module(f"{name}.serializers")
    return module.registry["Subject"]  # type: ignore[no-any-return]


def _serializer_accepts(cls: type[ContractSerializer], instance: Any) -> bool:
    try:
        cls().run_validation(instance)
    except ValidationError:
        return False
    return True


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schema=schemas(), instances=st.lists(json_values, min_size=20, max_size=20))
def test_serializers_accept_exactly_what_jsonschema_accepts(
    tmp_path: Path, schema: dict[str, Any], instances: list[Any]
) -> None:
    serializer = _generate(schema, tmp_path)
    reference = EcmaValidator(
        {"$schema": DIALECT, **schema}, format_checker=EcmaValidator.FORMAT_CHECKER
    )
    for instance in instances:
        expected = reference.is_valid(instance)
        assert _serializer_accepts(serializer, instance) is expected, (schema, instance, expected)
