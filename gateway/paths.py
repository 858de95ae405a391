"""Compile OpenAPI path templates into segment matchers, and build paths back.

A template is split on ``/`` once, at table build time. Each segment becomes a
:class:`Segment`: a literal, a whole-segment parameter (``{id}``), or a
partial segment mixing literals and parameters (``{name}.{ext}``). Matching
happens segment by segment on the *request's* segments, which are split on
``/`` before percent-decoding, so an encoded slash (``%2F``) inside a value
never splits a segment.

Precedence between segments at the same position is explicit (``rank``):
literal (0) before enum parameter (1) before typed parameter (integer, uuid:
2) before partial segment (3) before a plain string parameter (4).

Example::

    >>> p = compile_path("/files/{name}.{ext}")
    >>> [s.shape for s in p.segments]
    [('L', 'files'), ('R', '(.+)\\\\.(.+)')]
    >>> build_path(p, {"name": "a/b", "ext": "txt"})
    '/files/a%2Fb.txt'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# Characters left unencoded in a built parameter value: RFC 3986 unreserved
# plus the sub-delims and ":@" that are legal inside a path segment.
SEGMENT_SAFE = "-._~!$&'()*+,;=:@"

RANK_LITERAL = 0
RANK_ENUM = 1
RANK_TYPED = 2
RANK_PARTIAL = 3
RANK_STRING = 4

_PARAM_RE = re.compile(r"\{([^{}/]*)\}")
_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_INT_RE = re.compile(r"-?[0-9]+")


class TemplateError(ValueError):
    """A path template that cannot be compiled; ``template`` is the offender."""

    def __init__(self, template: str, reason: str) -> None:
        super().__init__(f"invalid path template {template!r}: {reason}")
        self.template = template
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ParamKind:
    """What a whole-segment parameter accepts, from its schema.

    ``kind`` is ``string``, ``integer``, ``uuid`` or ``enum`` (then ``values``
    holds the accepted strings)."""

    kind: str = "string"
    values: frozenset[str] = frozenset()

    @property
    def rank(self) -> int:
        if self.kind == "enum":
            return RANK_ENUM
        if self.kind in ("integer", "uuid"):
            return RANK_TYPED
        return RANK_STRING

    def accepts(self, value: str) -> bool:
        if self.kind == "string":
            return value != ""
        if self.kind == "integer":
            return _INT_RE.fullmatch(value) is not None
        if self.kind == "uuid":
            return _UUID_RE.fullmatch(value) is not None
        return value in self.values

    def key(self) -> tuple[str, ...]:
        return (self.kind, *sorted(self.values))


@dataclass(frozen=True, slots=True)
class Segment:
    """One compiled template segment.

    ``shape`` identifies the segment independently of parameter names, so two
    templates with equal shapes match exactly the same paths."""

    text: str
    names: tuple[str, ...]
    rank: int
    shape: tuple[str, ...]
    kind: ParamKind | None = None
    pattern: re.Pattern[str] | None = None
    plain: bool = False  # a whole-segment string parameter: any non-empty value

    def capture(self, value: str) -> tuple[str, ...] | None:
        """The parameter values in the decoded request segment ``value``, or
        ``None`` when it does not match (literals capture ``()``)."""
        if self.kind is not None:
            return (value,) if self.kind.accepts(value) else None
        if self.pattern is not None:
            found = self.pattern.fullmatch(value)
            return found.groups() if found else None
        return () if value == self.text else None


@dataclass(frozen=True, slots=True)
class CompiledPath:
    """A compiled template: its segments and parameter names in order."""

    template: str
    segments: tuple[Segment, ...]
    params: tuple[str, ...]

    @property
    def shape(self) -> tuple[tuple[str, ...], ...]:
        return tuple(segment.shape for segment in self.segments)

    @property
    def weight(self) -> tuple[int, ...]:
        """Sort key: lower is more specific, segment by segment."""
        return tuple(segment.rank for segment in self.segments)


def param_kind(schema: Mapping[str, Any] | None) -> ParamKind:
    """The matching kind of a path parameter schema.

    ``{"type": "integer"}`` → integer; ``{"type": "string", "format": "uuid"}``
    → uuid; ``{"enum": ["a", "b"]}`` → enum {a, b}; anything else → string.
    """
    if not isinstance(schema, Mapping):
        return ParamKind()
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and all(_is_scalar(v) for v in enum):
        return ParamKind("enum", frozenset(_scalar_text(v) for v in enum))
    types = schema.get("type")
    type_set = set(types) if isinstance(types, list) else {types}
    type_set.discard("null")
    if type_set == {"integer"}:
        return ParamKind("integer")
    if type_set == {"string"} and schema.get("format") == "uuid":
        return ParamKind("uuid")
    return ParamKind()


def _is_scalar(value: object) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _scalar_text(value: object) -> str:
    return str(value)


def compile_path(
    template: str, schemas: Mapping[str, Mapping[str, Any]] | None = None
) -> CompiledPath:
    """Compile ``template``; ``schemas`` maps path parameter names to their
    schemas (for typed matching). Raises :class:`TemplateError`.

    ``/items/{id}`` with ``{"id": {"type": "integer"}}`` → segments
    ``('L', 'items')``, ``('P', 'integer')``; params ``('id',)``.
    """
    if not template.startswith("/"):
        raise TemplateError(template, "it must start with '/'")
    schemas = schemas or {}
    segments: list[Segment] = []
    names: list[str] = []
    for index, text in enumerate(template[1:].split("/")):
        if text == "" and index < template.count("/") - 1:
            raise TemplateError(template, "it contains an empty segment ('//')")
        if text in (".", ".."):
            raise TemplateError(template, f"it contains the dot segment {text!r}")
        segment = _compile_segment(template, text, schemas)
        for name in segment.names:
            if name in names:
                raise TemplateError(template, f"the parameter {name!r} appears twice")
            names.append(name)
        segments.append(segment)
    return CompiledPath(template, tuple(segments), tuple(names))


def _compile_segment(template: str, text: str, schemas: Mapping[str, Mapping[str, Any]]) -> Segment:
    leftover = _PARAM_RE.sub("", text)
    if "{" in leftover or "}" in leftover:
        raise TemplateError(template, f"unbalanced braces in segment {text!r}")
    params = _PARAM_RE.findall(text)
    if not params:
        return Segment(text, (), RANK_LITERAL, ("L", text))
    for name in params:
        if not name:
            raise TemplateError(template, f"empty parameter name in segment {text!r}")
    whole = _PARAM_RE.fullmatch(text)
    if whole:
        kind = param_kind(schemas.get(params[0]))
        return Segment(
            text,
            (params[0],),
            kind.rank,
            ("P", *kind.key()),
            kind=kind,
            plain=kind.kind == "string",
        )
    if re.search(r"\}\{", text):
        raise TemplateError(
            template, f"adjacent parameters in segment {text!r} cannot be told apart"
        )
    parts = _PARAM_RE.split(text)  # literal, name, literal, name, ..., literal
    source = "".join(re.escape(p) if i % 2 == 0 else "(.+)" for i, p in enumerate(parts))
    return Segment(
        text,
        tuple(params),
        RANK_PARTIAL,
        ("R", source),
        pattern=re.compile(source, re.DOTALL),
    )


def build_path(path: CompiledPath, values: Mapping[str, str]) -> str:
    """The request path for ``values``, each percent-encoded as one segment.

    ``/items/{id}`` with ``{"id": "a b/c"}`` → ``/items/a%20b%2Fc``.
    """
    out: list[str] = []
    for segment in path.segments:
        if not segment.names:
            out.append(segment.text)
            continue
        out.append(
            _PARAM_RE.sub(lambda m: quote(values[m.group(1)], safe=SEGMENT_SAFE), segment.text)
        )
    return "/" + "/".join(out)
