"""jsonschema errors from the OpenAPI meta-schema → short, located findings.

The raw errors are hard to read: a typo in a response schema surfaces as
"{...whole response...} is not valid under any of the given schemas" because
every OpenAPI object is a ``oneOf`` of "a Reference" and "the real thing".
:func:`leaf_findings` walks the error tree instead: in each ``oneOf``/``anyOf``
it keeps the branch the author evidently meant (not the ``$ref`` branch when
there is no ``$ref``; the branch whose discriminating fields such as ``in``
matched) and reports that branch's own leaf errors, each at its own pointer.

Example: ``{name: id, in: path, schema: {type: string}}`` under
``parameters`` yields one finding, ``SF102 missing required field
'required'`` at ``.../parameters/0``, instead of four enum mismatches.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

_BRANCHING = frozenset({"oneOf", "anyOf"})
_KIND_MISMATCH = frozenset({"enum", "const", "type"})


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    tokens: tuple[str, ...]  # where, in the validated document
    message: str
    hint: str | None = None


def leaf_findings(errors: Iterable[ValidationError]) -> Iterator[Finding]:
    """Readable findings for top-level meta-schema errors."""
    for error in errors:
        for leaf in _leaves(error):
            yield from _describe(leaf)


def _leaves(error: ValidationError) -> list[ValidationError]:
    if error.validator not in _BRANCHING or not error.context:
        return [error]
    merged = _merged_enum(error)
    if merged is not None:
        return [merged]
    branch = _best_branch(error)
    if branch is None:
        return [error]
    leaves: list[ValidationError] = []
    for sub in branch:
        leaves.extend(_leaves(sub))
    return leaves


def _best_branch(error: ValidationError) -> list[ValidationError] | None:
    branches = _branches(error)
    instance = error.instance
    has_ref = isinstance(instance, dict) and "$ref" in instance
    candidates = [
        subs
        for subs in branches.values()
        if has_ref or not all(_is_missing_ref(sub) for sub in subs)
    ]
    if not candidates:
        return None

    def score(subs: list[ValidationError]) -> tuple[int, int, int]:
        mismatches = sum(1 for sub in subs if _is_kind_mismatch(sub, error))
        depth = max(len(sub.absolute_path) for sub in subs)
        return (mismatches, -depth, len(subs))

    return min(candidates, key=score)


def _merged_enum(error: ValidationError) -> ValidationError | None:
    """When every branch is for another kind of object, told apart by one
    enum field (``in: query`` / ``in: header`` / ...), one error listing all
    the allowed values of that field."""
    instance = error.instance
    if isinstance(instance, dict) and "$ref" in instance:
        return None
    enums: list[ValidationError] = []
    real = [s for s in _branches(error).values() if not all(_is_missing_ref(x) for x in s)]
    if len(real) == 1 and len(real[0]) == 1 and real[0][0].validator in _BRANCHING:
        return _merged_enum(real[0][0])
    if len(real) < 2:
        return None
    for subs in real:
        found = [s for s in subs if s.validator == "enum" and _is_kind_mismatch(s, error)]
        if not found and len(subs) == 1 and subs[0].validator in _BRANCHING:
            nested = _merged_enum(subs[0])
            found = [nested] if nested is not None else []
        if not found:
            return None
        enums.extend(found)
    paths = {tuple(e.absolute_path) for e in enums}
    if not enums or len(paths) != 1:
        return None
    allowed: list[Any] = []
    for sub in enums:
        allowed.extend(v for v in sub.validator_value if v not in allowed)
    first = enums[0]
    return ValidationError(
        first.message,
        validator="enum",
        validator_value=allowed,
        instance=first.instance,
        path=first.absolute_path,
    )


def _branches(error: ValidationError) -> dict[Any, list[ValidationError]]:
    """The sub-errors of a oneOf/anyOf error, by branch index."""
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context or ():
        key = sub.relative_schema_path[0] if sub.relative_schema_path else 0
        branches.setdefault(key, []).append(sub)
    return branches


def _is_missing_ref(error: ValidationError) -> bool:
    return error.validator == "required" and "'$ref'" in error.message


def _is_kind_mismatch(sub: ValidationError, parent: ValidationError) -> bool:
    """An enum/const/type failure one level below the branching object (or
    on it): the branch is for another kind of object, e.g. ``in: query``."""
    extra = len(sub.absolute_path) - len(parent.absolute_path)
    return sub.validator in _KIND_MISMATCH and extra <= 1


def _describe(error: ValidationError) -> Iterator[Finding]:
    tokens = tuple(str(token) for token in error.absolute_path)
    validator = error.validator
    if validator in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown_fields(error, tokens)
    elif validator == "required":
        match = re.match(r"^'(.+)' is a required property$", error.message)
        field = match.group(1) if match else str(error.message)
        hint = None
        instance = error.instance
        if field == "required" and isinstance(instance, dict) and instance.get("in") == "path":
            hint = "path parameters must be declared with 'required: true'"
        yield Finding("SF102", tokens, f"missing required field {field!r}", hint)
    elif validator == "type":
        expected = error.validator_value
        wanted = " or ".join(expected) if isinstance(expected, list) else str(expected)
        message = f"expected {_article(wanted)}, got {_json_type(error.instance)}"
        yield Finding("SF103", tokens, message)
    elif validator == "enum":
        allowed = ", ".join(_short(v) for v in error.validator_value)
        yield Finding("SF104", tokens, f"{_short(error.instance)} is not one of: {allowed}")
    elif validator in _BRANCHING:
        message = (
            f"{_short(error.instance)} is not valid here (it matches none of the allowed forms)"
        )
        if validator == "oneOf" and not error.context:
            message = f"{_short(error.instance)} matches more than one of the allowed forms"
        yield Finding("SF104", tokens, message)
    else:
        yield Finding("SF104", tokens, _shorten_message(error))


def _unknown_fields(error: ValidationError, tokens: tuple[str, ...]) -> Iterator[Finding]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = list(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    for key in instance:
        if key in known or any(p.search(key) for p in patterns):
            continue
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else None
        if hint is None and any(p.pattern == "^x-" for p in patterns):
            hint = "extension fields must start with 'x-'"
        yield Finding("SF101", (*tokens, key), f"unknown field {key!r}", hint)


def _shorten_message(error: ValidationError) -> str:
    message = str(error.message)
    text = repr(error.instance)
    if len(text) > 60 and text in message:
        message = message.replace(text, _short(error.instance))
    return message


def _short(value: Any) -> str:
    """A compact rendering of a value for a message.

    >>> _short({"a": 1}), _short("x" * 70)[-4:], _short([1, 2])
    ('an object', "...'", 'an array')
    """
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "...'"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {_short(value)}"
    return _short(value)


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word
