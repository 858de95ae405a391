"""Checks of values written inside schemas: defaults, examples, patterns.

These are the findings real specs most often have and generation can live
with (see :mod:`codegen.spec.policy`):

* SF120 a ``default`` that its own schema rejects (error);
* SF121 an ``example``/``examples`` value its schema rejects (warning: the
  OpenAPI specification only says examples SHOULD match);
* SF122 a ``pattern`` that is not a valid ECMA-262 regular expression
  (error, and generation cannot enforce it);
* SF123 a ``pattern`` that is valid ECMA-262 but that Python's ``re``
  cannot compile, e.g. ``\\p{L}`` (warning: generated code uses the
  ``regex`` package, which understands it).

Values are checked with openapi-schema-validator's OAS 3.0 / 3.1 validators
against the bundled document, so ``$ref`` inside schemas resolve.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import regex
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from codegen.spec import pointer as jp
from codegen.spec.schema_walk import iter_schemas

_BASE = "urn:specfirst:bundle"


class ValueFinding:
    __slots__ = ("code", "hint", "message", "tokens")

    def __init__(self, code: str, tokens: list[str], message: str, hint: str | None = None) -> None:
        self.code = code
        self.tokens = tokens
        self.message = message
        self.hint = hint


def check_values(doc: dict[str, Any], is_31: bool) -> Iterator[ValueFinding]:
    """Every default/example/pattern finding in the bundled ``doc``."""
    checker = _ValueChecker(doc, is_31)
    for tokens, schema in iter_schemas(doc):
        yield from checker.patterns(tokens, schema)
        if "default" in schema:
            error = checker.first_error(tokens, schema["default"])
            if error is not None:
                message = f"default {_short(schema['default'])} does not match its schema: {error}"
                hint = "fix the default or the schema; generated code uses the default as written"
                yield ValueFinding("SF120", [*tokens, "default"], message, hint)
        for example_tokens, value in _schema_examples(tokens, schema, is_31):
            error = checker.first_error(tokens, value)
            if error is not None:
                message = f"example {_short(value)} does not match its schema: {error}"
                yield ValueFinding("SF121", example_tokens, message)


def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """(code, message) when ``pattern`` is not usable as is, else None.

    >>> pattern_problem("^[a-z]+$") is None
    True
    >>> pattern_problem("^\\\\p{L}+$")[0]
    'SF123'
    >>> pattern_problem("^(unclosed$")[0]
    'SF122'
    """
    return _pattern_problem(pattern)


@functools.lru_cache(maxsize=4096)
def _pattern_problem(pattern: str) -> tuple[str, str] | None:
    try:
        re.compile(pattern)
        return None
    except re.error as python_error:
        python_reason = str(python_error)
    try:
        regex.compile(pattern, regex.VERSION1)
    except regex.error as ecma_error:
        return ("SF122", f"pattern {pattern!r} is not a valid regular expression: {ecma_error}")
    return (
        "SF123",
        f"pattern {pattern!r} is valid ECMA-262 but Python's re cannot compile it "
        f"({python_reason}); generated code checks it with the regex package",
    )


class _ValueChecker:
    def __init__(self, doc: dict[str, Any], is_31: bool) -> None:
        specification = DRAFT202012 if is_31 else DRAFT4
        resource = Resource.from_contents(doc, default_specification=specification)
        self._registry: Registry[Any] = Registry().with_resource(_BASE, resource)
        self._validator_class = OAS31Validator if is_31 else OAS30Validator

    def first_error(self, tokens: list[str], value: Any) -> str | None:
        schema = {"$ref": f"{_BASE}#{_fragment(tokens)}"}
        validator = self._validator_class(schema, registry=self._registry)
        try:
            errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        except Exception as exc:  # an unresolvable or malformed schema: reported elsewhere
            del exc
            return None
        if not errors:
            return None
        return _describe(errors[0])

    def patterns(self, tokens: list[str], schema: dict[str, Any]) -> Iterator[ValueFinding]:
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            problem = pattern_problem(pattern)
            if problem is not None:
                yield ValueFinding(problem[0], [*tokens, "pattern"], problem[1])
        pattern_properties = schema.get("patternProperties")
        if isinstance(pattern_properties, dict):
            for key in pattern_properties:
                problem = pattern_problem(key)
                if problem is not None:
                    yield ValueFinding(problem[0], [*tokens, "patternProperties", key], problem[1])


def _schema_examples(
    tokens: list[str], schema: dict[str, Any], is_31: bool
) -> Iterator[tuple[list[str], Any]]:
    if "example" in schema:
        yield [*tokens, "example"], schema["example"]
    if is_31 and isinstance(schema.get("examples"), list):
        for index, value in enumerate(schema["examples"]):
            yield [*tokens, "examples", str(index)], value


def _describe(error: ValidationError) -> str:
    where = jp.join(str(t) for t in error.absolute_path)
    message = error.message
    if len(message) > 120:
        message = message[:117] + "..."
    return f"{message} (at {where})" if where else message


def _fragment(tokens: list[str]) -> str:
    return "".join("/" + jp.escape(t).replace("%", "%25").replace("#", "%23") for t in tokens)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
