"""JSON pointers (RFC 6901): escaping, parsing and lookup.

Pointers are carried as strings in :class:`codegen.core.diagnostics.SourceLocation`
(``""`` is the document root, ``"/paths/~1orders/get"`` a member) and as token
lists while walking. ``~`` is written ``~0`` and ``/`` is written ``~1``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote


class PointerError(ValueError):
    """A pointer is malformed (``reason``) or names nothing (``missing_at``:
    the index of the first token that does not exist)."""

    def __init__(self, pointer: str, reason: str, missing_at: int | None = None) -> None:
        super().__init__(f"{reason}: {pointer!r}")
        self.pointer = pointer
        self.reason = reason
        self.missing_at = missing_at


def escape(token: str | int) -> str:
    """Escape one reference token.

    >>> escape("/orders/{id}")
    '~1orders~1{id}'
    >>> escape("a~b")
    'a~0b'
    """
    text = str(token)
    if "~" not in text and "/" not in text:
        return text
    return text.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo :func:`escape` (``~1`` first would be wrong: ``~01`` means ``~1``).

    >>> unescape("~1orders~1{id}")
    '/orders/{id}'
    >>> unescape("~01")
    '~1'
    """
    if "~" not in token:
        return token
    return token.replace("~1", "/").replace("~0", "~")


def join(tokens: Iterable[str | int]) -> str:
    """Build a pointer from raw tokens.

    >>> join(["paths", "/orders", "get"])
    '/paths/~1orders/get'
    >>> join([])
    ''
    """
    return "".join(["/" + escape(token) for token in tokens])


def split(pointer: str) -> list[str]:
    """Parse a pointer into raw tokens; raise :class:`PointerError` if it does
    not start with ``/`` (and is not the empty root pointer).

    >>> split("/paths/~1orders/get")
    ['paths', '/orders', 'get']
    >>> split("")
    []
    """
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PointerError(pointer, "a JSON pointer must be empty or start with '/'")
    return [unescape(token) for token in pointer[1:].split("/")]


def child(pointer: str, *tokens: str | int) -> str:
    """Extend ``pointer`` by raw tokens.

    >>> child("/paths", "/orders", "get")
    '/paths/~1orders/get'
    """
    return pointer + join(tokens)


def to_fragment(pointer: str) -> str:
    """``pointer`` as a URI fragment (percent-encoded).

    >>> to_fragment("/$defs/a b~1c")
    '/$defs/a%20b~1c'
    """
    return quote(pointer, safe="/~$!&'()*+,;=:@")


def lookup(data: Any, tokens: Sequence[str]) -> Any:
    """The value ``tokens`` names inside ``data``; :class:`PointerError` with
    ``missing_at`` set when some token does not exist.

    >>> lookup({"a": [{"b": 1}]}, ["a", "0", "b"])
    1
    """
    value = data
    for index, token in enumerate(tokens):
        if isinstance(value, dict):
            if token not in value:
                raise PointerError(join(tokens), "no such member", missing_at=index)
            value = value[token]
        elif isinstance(value, list):
            if not _is_array_index(token) or int(token) >= len(value):
                raise PointerError(join(tokens), "no such array element", missing_at=index)
            value = value[int(token)]
        else:
            raise PointerError(join(tokens), "cannot descend into a scalar", missing_at=index)
    return value


def _is_array_index(token: str) -> bool:
    # RFC 6901: "0" or a digit string without a leading zero.
    return token.isdigit() and token.isascii() and (token == "0" or not token.startswith("0"))
