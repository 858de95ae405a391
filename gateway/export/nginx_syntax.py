"""nginx configuration syntax: location regexes from path templates, and quoting.

A compiled template (see :mod:`gateway.paths`) becomes a PCRE matched
against nginx's normalised, percent-decoded ``$uri``. Each segment maps to
the same language the gateway's matcher accepts for it:

=====================  ==========================================
literal ``orders``     ``orders`` (metacharacters escaped)
``{id}`` string        ``[^/]+``
``{id}`` integer       ``-?[0-9]+``
``{id}`` uuid          ``[0-9a-fA-F]{8}-...-[0-9a-fA-F]{12}``
``{kind}`` enum        ``(?:a|b)`` (values escaped, sorted)
``{name}.{ext}``       ``[^/]+\\.[^/]+``
=====================  ==========================================

Example::

    >>> location_regex(compile_path("/items/{id}/files/{name}.{ext}",
    ...                             {"id": {"type": "integer"}}))
    '^/items/-?[0-9]+/files/[^/]+\\\\.[^/]+$'
    >>> quote('^/a\\\\.b$')
    '"^/a\\\\\\\\.b$"'

nginx's parser turns ``\\\\``, ``\\"``, ``\\'``, ``\\t``, ``\\r`` and ``\\n``
inside quoted strings into single characters, so :func:`quote` doubles every
backslash and escapes double quotes: the regex reaches PCRE unchanged.
"""

from __future__ import annotations

import re

from gateway.paths import CompiledPath, ParamKind, Segment

_PARAM_RE = re.compile(r"\{([^{}/]*)\}")
_PCRE_META = frozenset("\\^$.|?*+()[]{}")
_SEGMENT_VALUE = "[^/]+"
_KIND_REGEX = {
    "string": _SEGMENT_VALUE,
    "integer": "-?[0-9]+",
    "uuid": "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
}


def pcre_literal(text: str) -> str:
    """``"a.b(c)"`` → ``"a\\\\.b\\\\(c\\\\)"``: only PCRE metacharacters escaped."""
    return "".join("\\" + ch if ch in _PCRE_META else ch for ch in text)


def _kind_regex(kind: ParamKind) -> str:
    if kind.kind == "enum":
        return "(?:" + "|".join(pcre_literal(value) for value in sorted(kind.values)) + ")"
    return _KIND_REGEX.get(kind.kind, _SEGMENT_VALUE)


def segment_regex(segment: Segment) -> str:
    """The PCRE of one template segment (see the table in the module docstring)."""
    if not segment.names:
        return pcre_literal(segment.text)
    if segment.kind is not None:
        return _kind_regex(segment.kind)
    parts = _PARAM_RE.split(segment.text)  # literal, name, literal, ..., literal
    return "".join(pcre_literal(p) if i % 2 == 0 else _SEGMENT_VALUE for i, p in enumerate(parts))


def location_regex(path: CompiledPath) -> str:
    """The anchored PCRE of a whole template, for ``location ~ ...``."""
    return "^/" + "/".join(segment_regex(segment) for segment in path.segments) + "$"


def precedence_key(path: CompiledPath) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Sort key that puts regex locations in the gateway matcher's order.

    The matcher walks a trie depth first: at each position the literal child
    first, then dynamic children by ``(rank, shape)``. The first template a
    request path reaches in that walk is the first one in this order, and
    nginx uses the first regex location that matches, so sorting the
    locations by this key reproduces the matcher's choice.
    """
    return tuple((segment.rank, segment.shape) for segment in path.segments)


def quote(text: str) -> str:
    """A double-quoted nginx string whose value is exactly ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def json_text(text: str) -> str:
    """``text`` as the inside of a JSON string that nginx will not interpolate.

    ``'say "$x"'`` → ``'say \\\\"\\\\u0024x\\\\"'``: quotes and backslashes
    JSON-escaped, ``$`` written as ``\\\\u0024`` so nginx never reads a variable.
    """
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "$" or ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def duration(seconds: float) -> str:
    """``30.0`` → ``"30000ms"``; nginx time values in milliseconds, at least 1."""
    return f"{max(1, round(seconds * 1000))}ms"
