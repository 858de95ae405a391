"""The JSON Schema 2020-12 validator that checks values against a spec's schemas.

jsonschema's ``Draft202012Validator`` with two changes that make it judge values the
way the services do:

* ``pattern`` has ECMA-262 meaning through :mod:`codegen.core.ecma` (``\\p{L}``
  works); a pattern that does not compile is ``specfirst validate``'s finding, so it
  matches everything here;
* formats are asserted (date-time, email, uuid, ...), plus OpenAPI's ``int32`` and
  ``int64`` ranges; ``regex`` means an ECMA-262 regular expression, again through
  :mod:`codegen.core.ecma` (jsonschema's own check uses Python's ``re``).

Lint's example rule (SF314), the mock and the instance synthesizer all validate with
it, so a value one of them accepts the others accept too.

``validation_error({"type": "integer", "format": "int32"}, 2**31)`` ->
``"2147483648 is not a 'int32'"``; a valid value gives ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import best_match
from referencing import Registry
from referencing.exceptions import Unresolvable

from codegen.core.ecma import pattern_error, pattern_keyword

INT_RANGES = {"int32": 2**31, "int64": 2**63}


def _is_ecma_regex(value: object) -> bool:
    return not isinstance(value, str) or pattern_error(value) is None


def _format_checker() -> FormatChecker:
    checker = FormatChecker([f for f in FormatChecker.checkers if f != "regex"])
    for name, bound in INT_RANGES.items():

        def _in_range(value: object, bound: int = bound) -> bool:
            return not isinstance(value, int) or -bound <= value < bound

        checker.checks(name)(_in_range)
    checker.checks("regex")(_is_ecma_regex)
    return checker


ExampleValidator = jsonschema.validators.extend(
    Draft202012Validator, {"pattern": pattern_keyword()}
)
FORMAT_CHECKER = _format_checker()
META_VALIDATOR = Draft202012Validator(Draft202012Validator.META_SCHEMA)


def first_error(
    schema: Mapping[str, Any] | bool, instance: Any, registry: Registry[Any] | None = None
) -> ValidationError | None:
    """The most relevant validation error, or None when ``instance`` is valid.

    A malformed schema (``maxLength: "5"``) is ``specfirst validate``'s finding,
    not the value's: nothing is reported against it here; nor is a reference the
    ``registry`` (the spec's schema resources, when given) cannot resolve.
    """
    if next(META_VALIDATOR.iter_errors(schema), None) is not None:
        return None
    if registry is None:
        validator = ExampleValidator(schema, format_checker=FORMAT_CHECKER)
    else:
        validator = ExampleValidator(schema, format_checker=FORMAT_CHECKER, registry=registry)
    try:
        return best_match(validator.iter_errors(instance))
    except Unresolvable:
        return None


def validation_error(schema: Mapping[str, Any] | bool, instance: Any) -> str | None:
    """The first validation error's message, or None when ``instance`` is valid."""
    validator = ExampleValidator(schema, format_checker=FORMAT_CHECKER)
    error = next(iter(validator.iter_errors(instance)), None)
    return None if error is None else error.message
