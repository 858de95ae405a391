"""The regex form of a compiled template, for routers that take regexes.

One regex language for every consumer: the generated services' ``re_path``
patterns (which drf-spectacular reads back into templates, and ``reverse()``
builds from), nginx ``location ~`` blocks (PCRE, matched against nginx's
decoded ``$uri``) and Gateway API ``RegularExpression`` paths (RE2). Each
segment matches the same language the matcher accepts for it:

=====================  ==========================================
literal ``orders``     ``orders`` (metacharacters escaped)
``{id}`` string        ``[^/]+``
``{id}`` integer       ``-?[0-9]+``
``{id}`` uuid          ``[0-9a-fA-F]{8}-...-[0-9a-fA-F]{12}``
``{kind}`` enum        ``(?:a|b)`` (values escaped, sorted)
``{name}.{ext}``       ``[^/]+\\.[^/]+``
=====================  ==========================================

Sorted by :attr:`~.templates.CompiledPath.precedence`, a list of these
regexes where the first match wins chooses what the matcher chooses.

Example::

    >>> from codegen.core.routing.kinds import ParamKind
    >>> from codegen.core.routing.templates import compile_path
    >>> path = compile_path("/items/{id}/files/{name}.{ext}", {"id": ParamKind("integer")})
    >>> path_regex(path)
    '^/items/-?[0-9]+/files/[^/]+\\\\.[^/]+$'
    >>> path_regex(path, group=str, leading_slash=False)
    '^items/(?P<id>-?[0-9]+)/files/(?P<name>[^/]+)\\\\.(?P<ext>[^/]+)$'
"""

from __future__ import annotations

from collections.abc import Callable

from codegen.core.routing.kinds import INTEGER_PATTERN, UUID_PATTERN, ParamKind
from codegen.core.routing.templates import CompiledPath, Segment

_META = frozenset("\\^$.|?*+()[]{}")
SEGMENT_VALUE = "[^/]+"
_KIND_REGEX = {"string": SEGMENT_VALUE, "integer": INTEGER_PATTERN, "uuid": UUID_PATTERN}

GroupName = Callable[[str], str]  # parameter name -> regex group name


def literal(text: str) -> str:
    """``"a.b(c)"`` -> ``"a\\\\.b\\\\(c\\\\)"``: only regex metacharacters
    escaped (the same text is valid in Python ``re``, PCRE and RE2)."""
    return "".join("\\" + ch if ch in _META else ch for ch in text)


def kind_regex(kind: ParamKind) -> str:
    if kind.kind == "enum":
        return "(?:" + "|".join(literal(value) for value in sorted(kind.values)) + ")"
    return _KIND_REGEX.get(kind.kind, SEGMENT_VALUE)


def _group(body: str, name: str, group: GroupName | None) -> str:
    return body if group is None else f"(?P<{group(name)}>{body})"


def segment_regex(segment: Segment, group: GroupName | None = None) -> str:
    """The regex of one segment; ``group`` names a capture group per parameter."""
    if not segment.names:
        return literal(segment.text)
    if segment.kind is not None:
        return _group(kind_regex(segment.kind), segment.names[0], group)
    out = [literal(segment.literals[0])]
    for name, text in zip(segment.names, segment.literals[1:], strict=True):
        out.append(_group(SEGMENT_VALUE, name, group))
        out.append(literal(text))
    return "".join(out)


def path_regex(
    path: CompiledPath, *, group: GroupName | None = None, leading_slash: bool = True
) -> str:
    """The anchored regex of a whole template (Django's resolver strips the
    leading ``/`` before matching: ``leading_slash=False``)."""
    body = "/".join(segment_regex(segment, group) for segment in path.segments)
    return ("^/" if leading_slash else "^") + body + "$"
