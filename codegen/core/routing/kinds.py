"""What a path parameter matches, from the facts of its schema.

A router needs only three facts of a parameter's schema: its non-null JSON
types, its ``format`` and its ``enum``, plus the parameter's ``style``. The
generator reads them from the IR, the gateway from the spec's JSON; both pass
them to :func:`param_kind`, so both routers give a parameter the same kind:

=========================================  ========  ==========================
facts                                      kind      matches
=========================================  ========  ==========================
``enum: [XML, JSON]`` (scalars)            enum      exactly those texts
``type: integer``                          integer   ``-?[0-9]+``
``type: string, format: uuid``             uuid      8-4-4-4-12 hex digits
anything else, or a non-``simple`` style   string    any non-empty segment
=========================================  ========  ==========================

Example::

    >>> param_kind({"integer"}, None, None).kind
    'integer'
    >>> sorted(param_kind({"string"}, None, ["XML", "JSON"]).values)
    ['JSON', 'XML']
    >>> param_kind({"integer"}, None, None, style="label").kind
    'string'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

RANK_LITERAL = 0
RANK_ENUM = 1
RANK_TYPED = 2
RANK_PARTIAL = 3
RANK_STRING = 4

INTEGER_PATTERN = "-?[0-9]+"
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_PATTERNS = {
    "integer": re.compile(INTEGER_PATTERN),
    "uuid": re.compile(UUID_PATTERN),
}


@dataclass(frozen=True, slots=True)
class ParamKind:
    """What a whole-segment parameter accepts.

    ``kind`` is ``string``, ``integer``, ``uuid`` or ``enum`` (then ``values``
    holds the accepted texts)."""

    kind: str = "string"
    values: frozenset[str] = frozenset()

    @property
    def rank(self) -> int:
        if self.kind == "enum":
            return RANK_ENUM
        if self.kind in _PATTERNS:
            return RANK_TYPED
        return RANK_STRING

    def accepts(self, value: str) -> bool:
        """Whether the decoded segment ``value`` is one this parameter takes."""
        if self.kind == "string":
            return value != ""
        pattern = _PATTERNS.get(self.kind)
        if pattern is not None:
            return pattern.fullmatch(value) is not None
        return value in self.values

    def key(self) -> tuple[str, ...]:
        """Identifies the kind in a template's shape (enum values sorted)."""
        return (self.kind, *sorted(self.values))


STRING = ParamKind()


def enum_text(value: object) -> str | None:
    """The request text of an enum value, or ``None`` when it has no single
    text form (floats, objects, null): ``True`` -> ``"true"``, ``7`` -> ``"7"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    return None


def param_kind(
    types: Collection[str],
    format: str | None,
    enum: Sequence[object] | None,
    *,
    style: str = "simple",
) -> ParamKind:
    """The kind of a path parameter from its schema facts (see the module table).

    ``types`` are the schema's JSON types without ``null``; ``enum`` its enum
    (``None`` when it has none; ``null`` members are ignored).
    """
    if style != "simple":  # label (".x") and matrix (";id=x") values carry a prefix
        return STRING
    if enum:
        texts = [enum_text(value) for value in enum if value is not None]
        if texts and all(text is not None for text in texts):
            return ParamKind("enum", frozenset(text for text in texts if text is not None))
    kinds = set(types) - {"null"}
    if kinds == {"integer"}:
        return ParamKind("integer")
    if kinds == {"string"} and format == "uuid":
        return ParamKind("uuid")
    return STRING


Resolver = Callable[[Any], Any]


def schema_kind(
    schema: object, *, style: str = "simple", resolve: Resolver | None = None
) -> ParamKind:
    """:func:`param_kind` of a JSON schema as the spec writes it.

    ``resolve`` follows a ``$ref`` (the caller knows the document); without it
    a reference is a plain string parameter.

    >>> schema_kind({"type": ["integer", "null"]}).kind
    'integer'
    """
    if resolve is not None:
        schema = resolve(schema)
    if not isinstance(schema, Mapping):
        return STRING
    raw_types = schema.get("type")
    types = raw_types if isinstance(raw_types, list) else [raw_types]
    enum = schema.get("enum")
    fmt = schema.get("format")
    return param_kind(
        [t for t in types if isinstance(t, str)],
        fmt if isinstance(fmt, str) else None,
        enum if isinstance(enum, list) else None,
        style=style,
    )
