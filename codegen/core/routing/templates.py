"""Compile OpenAPI path templates into segment matchers, and build paths back.

A template is split on ``/`` once, at table build time. Each segment becomes a
:class:`Segment`: a literal, a whole-segment parameter (``{id}``), or a
partial segment mixing literals and parameters (``{name}:verb``, ``v{major}``,
``{a}-{b}``, ``{id}.json``). Requests are matched segment by segment on their
*decoded* segments (see :mod:`.canonical`).

Each segment has a ``rank`` (:mod:`.kinds`: literal 0, enum 1, typed 2,
partial 3, string 4) and a ``shape`` that identifies it independently of
parameter names: two templates with equal shapes match exactly the same paths.

Example::

    >>> p = compile_path("/files/{name}.{ext}")
    >>> [s.shape for s in p.segments]
    [('L', 'files'), ('R', '(.+)\\\\.(.+)')]
    >>> build_path(p, {"name": "a b", "ext": "txt"})
    '/files/a%20b.txt'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from codegen.core.routing.kinds import RANK_LITERAL, RANK_PARTIAL, STRING, ParamKind

# Characters left unencoded in a built parameter value: RFC 3986 unreserved
# plus the sub-delims and ":@" that are legal inside a path segment.
SEGMENT_SAFE = "-._~!$&'()*+,;=:@"

PARAM_RE = re.compile(r"\{([^{}/]*)\}")


class TemplateError(ValueError):
    """A path template that cannot be compiled; ``template`` is the offender."""

    def __init__(self, template: str, reason: str) -> None:
        super().__init__(f"invalid path template {template!r}: {reason}")
        self.template = template
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Segment:
    """One compiled template segment.

    ``literals`` holds, for a partial segment, the literal text around its
    parameters (``{a}-{b}.json`` -> ``("", "-", ".json")``)."""

    text: str
    names: tuple[str, ...]
    rank: int
    shape: tuple[str, ...]
    kind: ParamKind | None = None
    pattern: re.Pattern[str] | None = None
    plain: bool = False  # a whole-segment string parameter: any non-empty value
    literals: tuple[str, ...] = ()

    @property
    def order(self) -> tuple[int, int, tuple[str, ...]]:
        """Sort key among the dynamic segments at one position: by rank, then,
        for partial segments, more literal characters first (``near.{fmt}``
        before ``{id}.{fmt}``, ``{id}.schema.json`` before ``{id}.json``:
        the more specific template wins, as werkzeug weighs static parts),
        then by shape, so the order never depends on declaration."""
        return self.rank, -sum(map(len, self.literals)), self.shape

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
    def precedence(self) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
        """Sort key of the matcher's order: the first template a request
        reaches in the trie's depth-first walk (literal child first, then
        dynamic children by :attr:`Segment.order`) is the first template in
        this order that matches it. Regex routers that take the first matching
        pattern (nginx, Django) reproduce the matcher by sorting on it."""
        return tuple(segment.order for segment in self.segments)


def compile_path(template: str, kinds: Mapping[str, ParamKind] | None = None) -> CompiledPath:
    """Compile ``template``; ``kinds`` maps path parameter names to what they
    match (:func:`codegen.core.routing.kinds.param_kind`; absent: string).
    Raises :class:`TemplateError`.

    ``/items/{id}`` with ``{"id": ParamKind("integer")}`` -> segments
    ``('L', 'items')``, ``('P', 'integer')``; params ``('id',)``.
    """
    if not template.startswith("/"):
        raise TemplateError(template, "it must start with '/'")
    kinds = kinds or {}
    segments: list[Segment] = []
    names: list[str] = []
    texts = template[1:].split("/")
    for index, text in enumerate(texts):
        if text == "" and index < len(texts) - 1:
            raise TemplateError(template, "it contains an empty segment ('//')")
        if text in (".", ".."):
            raise TemplateError(template, f"it contains the dot segment {text!r}")
        segment = _compile_segment(template, text, kinds)
        for name in segment.names:
            if name in names:
                raise TemplateError(template, f"the parameter {name!r} appears twice")
            names.append(name)
        segments.append(segment)
    return CompiledPath(template, tuple(segments), tuple(names))


def _compile_segment(template: str, text: str, kinds: Mapping[str, ParamKind]) -> Segment:
    leftover = PARAM_RE.sub("", text)
    if "{" in leftover or "}" in leftover:
        raise TemplateError(template, f"unbalanced braces in segment {text!r}")
    params = PARAM_RE.findall(text)
    if not params:
        return Segment(text, (), RANK_LITERAL, ("L", text))
    for name in params:
        if not name:
            raise TemplateError(template, f"empty parameter name in segment {text!r}")
    if PARAM_RE.fullmatch(text):
        kind = kinds.get(params[0], STRING)
        return Segment(
            text, (params[0],), kind.rank, ("P", *kind.key()), kind=kind, plain=kind == STRING
        )
    if "}{" in text:
        raise TemplateError(
            template, f"adjacent parameters in segment {text!r} cannot be told apart"
        )
    parts = PARAM_RE.split(text)  # literal, name, literal, name, ..., literal
    literals = tuple(parts[0::2])
    source = "(.+)".join(re.escape(literal) for literal in literals)
    return Segment(
        text,
        tuple(params),
        RANK_PARTIAL,
        ("R", source),
        pattern=re.compile(source, re.DOTALL),
        literals=literals,
    )


def build_path(path: CompiledPath, values: Mapping[str, str]) -> str:
    """The request path for ``values``, each percent-encoded as one segment.

    ``/items/{id}`` with ``{"id": "a b/c"}`` -> ``/items/a%20b%2Fc``.
    """
    out: list[str] = []
    for segment in path.segments:
        if not segment.names:
            out.append(segment.text)
            continue
        out.append(
            PARAM_RE.sub(lambda m: quote(values[m.group(1)], safe=SEGMENT_SAFE), segment.text)
        )
    return "/" + "/".join(out)
