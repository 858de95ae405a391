"""SF314: every ``example``, ``examples`` entry and ``default`` is valid against
its schema.

Checked places: a schema's own ``default``, ``example`` and (3.1) ``examples``
list; a parameter's, header's or media type's ``example`` and ``examples``
map (Example objects, through ``$ref``). Validation is JSON Schema 2020-12
(``codegen.designer.lint.json_schema`` converts 3.0 first), with ECMA-262 patterns run
by the ``regex`` package, and formats (date-time, email, uuid, int32, ...)
checked. The finding points at the failing value inside the example.

Example: ``{type: integer, minimum: 1, default: 0}`` yields SF314 at
``.../default``: "default is not valid against its schema: 0 is less than the
minimum of 1".
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jsonschema
import regex
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import best_match

from codegen.designer.lint.document import Document, Node
from codegen.designer.lint.findings import Finding
from codegen.designer.lint.json_schema import to_json_schema
from codegen.designer.lint.walk import ANY, holders, schemas

INT_RANGES = {"int32": 2**31, "int64": 2**63}


@lru_cache(maxsize=512)
def _compile(pattern: str) -> regex.Pattern[str] | None:
    try:
        return regex.compile(pattern)
    except regex.error:
        return None  # an invalid pattern is reported by `specfirst validate`


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """``pattern`` with ECMA-262 semantics (``\\p{L}`` and friends) via ``regex``."""
    compiled = _compile(pattern)
    if validator.is_type(instance, "string") and compiled and not compiled.search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _format_checker() -> FormatChecker:
    checker = FormatChecker([f for f in FormatChecker.checkers if f != "regex"])
    for name, bound in INT_RANGES.items():

        def _in_range(value: object, bound: int = bound) -> bool:
            return not isinstance(value, int) or -bound <= value < bound

        checker.checks(name)(_in_range)
    return checker


ExampleValidator = jsonschema.validators.extend(Draft202012Validator, {"pattern": _pattern})
FORMAT_CHECKER = _format_checker()


META_VALIDATOR = Draft202012Validator(Draft202012Validator.META_SCHEMA)


def first_error(schema: dict[str, Any] | bool, instance: Any) -> ValidationError | None:
    """The most relevant validation error, or None when ``instance`` is valid.

    A malformed schema (``maxLength: "5"``) is ``specfirst validate``'s finding,
    not the example's: nothing is reported against it here.
    """
    if next(META_VALIDATOR.iter_errors(schema), None) is not None:
        return None
    validator = ExampleValidator(schema, format_checker=FORMAT_CHECKER)
    return best_match(validator.iter_errors(instance))


def check(doc: Document) -> Iterator[Finding]:
    for visit in schemas(doc):
        node = visit.node
        for key in ("default", "example"):
            if key in node.value:
                yield from _validate(doc, node, ANY, node.child(key), key)
        listed = node.child("examples")
        if isinstance(listed.value, list) and not doc.is_30:
            for index, example in enumerate(listed.elements()):
                yield from _validate(doc, node, ANY, example, f"examples[{index}]")
    for holder in holders(doc):
        schema = holder.node.child("schema")
        if schema.value is None:
            continue
        if holder.node.has("example"):
            what = f"{holder.kind} example"
            yield from _validate(doc, schema, holder.context, holder.node.child("example"), what)
        for name, raw in holder.node.child("examples").items():
            example = doc.deref(raw)
            if example.has("value"):
                what = f"{holder.kind} example {name!r}"
                yield from _validate(doc, schema, holder.context, example.child("value"), what)


def _validate(
    doc: Document, schema: Node, context: str, value: Node, what: str
) -> Iterator[Finding]:
    error = first_error(to_json_schema(doc, schema, context), value.value)
    if error is None:
        return
    where = "".join(f"/{part}" for part in error.absolute_path)
    at = f" at {where}" if where else ""
    yield Finding(
        "SF314",
        f"{what} is not valid against its schema{at}: {error.message}",
        value.child(*error.absolute_path),
    )
