"""nginx configuration syntax: quoting, JSON text and durations.

Location regexes come from the route compiler (:func:`codegen.core.routing.regex.path_regex`),
the same language the gateway's matcher and the generated services route with.

Example::

    >>> quote('^/a\\\\.b$')
    '"^/a\\\\\\\\.b$"'

nginx's parser turns ``\\\\``, ``\\"``, ``\\'``, ``\\t``, ``\\r`` and ``\\n``
inside quoted strings into single characters, so :func:`quote` doubles every
backslash and escapes double quotes: the regex reaches PCRE unchanged.
"""

from __future__ import annotations


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
