"""Checks of values written inside schemas: defaults, examples, patterns.

These are the findings real specs most often have and generation can live
with (see :mod:`codegen.core.spec.policy`):

* SF120 a ``default`` that its own schema rejects (error);
* SF121 an ``example``/``examples`` value its schema rejects (warning: the
  OpenAPI specification only says examples SHOULD match);
* SF122 a ``pattern`` that is not a valid ECMA-262 regular expression
  (error, and generation cannot enforce it);
* SF123 a ``pattern`` that is valid ECMA-262 but that Python's ``re``
  cannot compile, e.g. ``\\p{L}`` (warning: generated code uses the
  ``regex`` package, which understands it).

Values are checked with openapi-schema-validator's OAS 3.0 / 3.1 validators
against the bundled document, so ``$ref`` inside schemas resolve. A 3.1 spec
whose schemas identify themselves (``$id`` below a file's root, ``$anchor``,
``$dynamicRef``) is checked through its schema resources instead (the
``targets`` of :func:`check_values`), as lint's SF314 and the services
resolve it: a pointer into the bundle cannot say which base URI applies.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend
from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from codegen.core.ecma import pattern_error, pattern_keyword
from codegen.core.spec import pointer as jp
from codegen.core.spec.schema_walk import iter_schema_holders, iter_schemas

_BASE = "urn:specfirst:bundle"

# A spec's own pattern run on its own example must not hang validation
# (catastrophic backtracking): a match still undecided by then passes.
_PATTERN_SECONDS = 0.05


class ValueFinding:
    __slots__ = ("code", "hint", "message", "tokens")

    def __init__(self, code: str, tokens: list[str], message: str, hint: str | None = None) -> None:
        self.code = code
        self.tokens = tokens
        self.message = message
        self.hint = hint


# The schema naming the one at bundle tokens, and the registry that resolves it.
ValidationTargets = Callable[[list[str]], tuple[dict[str, str], Registry[Any]]]


def check_values(
    doc: dict[str, Any],
    is_31: bool,
    targets: ValidationTargets | None = None,
    *,
    examples: bool = True,
) -> Iterator[ValueFinding]:
    """Every default/example/pattern finding in the bundled ``doc``; schemas
    are named through ``targets`` when given. ``examples=False`` leaves the
    examples unchecked (SF121, a warning that changes nothing generated):
    ``serve`` answers sooner without them, ``validate`` still reports them."""
    checker = _ValueChecker(doc, is_31, targets)
    for tokens, schema in iter_schemas(doc, is_31):
        if is_31:
            yield from openapi_30_habits(tokens, schema)
        yield from checker.patterns(tokens, schema)
        if "default" in schema:
            error = checker.first_error(tokens, schema, schema["default"])
            if error is not None:
                message = f"default {_short(schema['default'])} does not match its schema: {error}"
                hint = "fix the default or the schema"
                yield ValueFinding("SF120", [*tokens, "default"], message, hint)
        if not examples:
            continue
        for example_tokens, value in _schema_examples(tokens, schema, is_31):
            error = checker.first_error(tokens, schema, value)
            if error is not None:
                message = f"example {_short(value)} does not match its schema: {error}"
                yield ValueFinding("SF121", example_tokens, message)
    if not examples:
        return
    for tokens, holder in iter_schema_holders(doc):
        holder_schema = holder.get("schema")
        if not isinstance(holder_schema, dict):
            continue
        for example_tokens, value in _holder_examples(doc, tokens, holder):
            error = checker.first_error([*tokens, "schema"], holder_schema, value)
            if error is not None:
                message = f"example {_short(value)} does not match the schema: {error}"
                yield ValueFinding("SF121", example_tokens, message)


def openapi_30_habits(tokens: list[str], schema: dict[str, Any]) -> Iterator[ValueFinding]:
    """OpenAPI 3.0 keywords in a 3.1 schema, which specfirst honours with
    their 3.0 meaning (SF106 ``nullable``, SF107 boolean exclusive bounds).

    >>> [f.code for f in openapi_30_habits([], {"nullable": True, "exclusiveMinimum": True})]
    ['SF106', 'SF107']
    """
    if "nullable" in schema:
        yield ValueFinding(
            "SF106",
            [*tokens, "nullable"],
            "'nullable' is OpenAPI 3.0; in 3.1 it means nothing (specfirst reads it as 3.0 did)",
            hint="write type: [<type>, 'null'] instead",
        )
    for keyword, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(schema.get(keyword), bool):
            yield ValueFinding(
                "SF107",
                [*tokens, keyword],
                f"a boolean {keyword!r} is OpenAPI 3.0; in 3.1 it is the bound itself "
                "(specfirst reads it as 3.0 did)",
                hint=f"write {keyword}: <number> instead of {bound} + {keyword}: true",
            )


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
    with warnings.catch_warnings():
        # re warns about patterns such as "[[" whose meaning may change
        warnings.simplefilter("ignore")
        try:
            re.compile(pattern)
            return None
        except re.error as python_error:
            python_reason = str(python_error)
        ecma_error = pattern_error(pattern)
        if ecma_error is not None:
            return ("SF122", f"pattern {pattern!r} is not a valid regular expression: {ecma_error}")
    return (
        "SF123",
        f"pattern {pattern!r} is valid ECMA-262 but Python's re cannot compile it "
        f"({python_reason}); generated code checks it with the regex package",
    )


class _ValueChecker:
    def __init__(self, doc: dict[str, Any], is_31: bool, targets: ValidationTargets | None) -> None:
        self._targets = targets
        specification = DRAFT202012 if is_31 else DRAFT4
        resource = Resource.from_contents(doc, default_specification=specification)
        self._registry: Registry[Any] = Registry().with_resource(_BASE, resource)
        base = OAS31Validator if is_31 else OAS30Validator
        ecma_pattern = pattern_keyword(_PATTERN_SECONDS)
        self._validator_class = extend(base, validators={"pattern": ecma_pattern})

    def first_error(self, tokens: list[str], schema: dict[str, Any], value: Any) -> str | None:
        """Why ``value`` does not match the schema at ``tokens`` (None if it
        does). A null for a ``nullable`` schema matches in 3.1 too, as the
        model reads ``nullable`` there (SF106)."""
        if value is None and schema.get("nullable") is True:
            return None
        if self._targets is None:
            schema, registry = {"$ref": f"{_BASE}#{_fragment(tokens)}"}, self._registry
        else:
            schema, registry = self._targets(tokens)
        validator = self._validator_class(schema, registry=registry)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # re's FutureWarning on patterns like "[["
                errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        except Exception:  # an unresolvable ref or a pattern re rejects: reported elsewhere
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


def _holder_examples(
    doc: dict[str, Any], tokens: list[str], holder: dict[str, Any]
) -> Iterator[tuple[list[str], Any]]:
    """The example values of a parameter, header or media type: ``example``
    and each ``examples`` entry's ``value`` (following a local ``$ref``)."""
    if "example" in holder:
        yield [*tokens, "example"], holder["example"]
    examples = holder.get("examples")
    if not isinstance(examples, dict):
        return
    for name, entry in examples.items():
        example, where = entry, [*tokens, "examples", name]
        if isinstance(entry, dict) and isinstance(entry.get("$ref"), str):
            try:  # reported where the value is written
                where = jp.split(unquote(entry["$ref"].removeprefix("#")))
                example = jp.lookup(doc, where)
            except jp.PointerError:
                continue  # a broken reference: reported by the loader
        if isinstance(example, dict) and "value" in example:
            yield [*where, "value"], example["value"]


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
