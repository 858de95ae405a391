"""JSON Schema enforcement for what no DRF field can express.

``patternProperties``, ``not``, ``prefixItems``, ``if``/``then``/``else``,
``contains``, ``dependentRequired``, ``propertyNames`` and the like are
checked with a compiled Draft 2020-12 validator (format checking on, patterns
with ECMA-262 semantics through :mod:`codegen.core.ecma`). The
generated code says, in a comment, which keywords are enforced this way.

``SchemaCheck({"not": {"const": 0}}, {})(0)`` ->
``[((), "0 should not be valid under {'const': 0}")]``.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry
from referencing.exceptions import Unresolvable

from codegen.core.ecma import compile_pattern
from servicekit.contract.errors import ContractError, Path
from servicekit.contract.jsonvalues import to_json

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[SchemaError]:
    if validator.is_type(instance, "string") and not compile_pattern(pattern).search(instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: Mapping[str, Any], instance: Any, schema: Any
) -> Iterator[SchemaError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if compile_pattern(pattern).search(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


EcmaValidator = jsonschema.validators.extend(
    Draft202012Validator, {"pattern": _pattern, "patternProperties": _pattern_properties}
)


def component_pointer(name: str) -> str:
    """``component_pointer("a/b")`` -> ``"#/components/schemas/a~1b"`` (URI-quoted)."""
    token = name.replace("~", "~0").replace("/", "~1")
    return "#/components/schemas/" + urllib.parse.quote(token, safe="~")


class SchemaCheck:
    """A lazily compiled validator for ``fragment``; ``$ref``s inside it point
    at ``#/components/schemas/<name>`` in ``components``, or at the spec's
    schemas by URI in ``resources`` (in the spec's ``dialect``)."""

    def __init__(
        self,
        fragment: Mapping[str, Any],
        components: Mapping[str, Any],
        resources: Callable[[], Registry[Any] | None] = lambda: None,
    ) -> None:
        self.fragment = fragment
        self.components = components
        self.resources = resources

    @functools.cached_property
    def validator(self) -> Any:
        document = {
            "$schema": DIALECT,
            "components": {"schemas": dict(self.components)},
            "allOf": [dict(self.fragment)],
        }
        registry = self.resources()
        if registry is None:
            return EcmaValidator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return EcmaValidator(
            document, format_checker=Draft202012Validator.FORMAT_CHECKER, registry=registry
        )

    def __call__(self, instance: Any) -> list[tuple[Path, str]]:
        plain = to_json(instance)  # Decimal -> float: jsonschema mixes them with floats
        try:
            found = [(tuple(e.absolute_path), e.message) for e in self.validator.iter_errors(plain)]
        except Unresolvable as exc:
            raise ContractError(
                f"the schema's JSON Schema check cannot resolve a $ref: {exc}; "
                "keywords it cannot resolve are not enforced"
            ) from None
        return sorted(found, key=lambda item: [str(p) for p in item[0]])
