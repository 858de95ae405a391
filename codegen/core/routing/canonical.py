"""Raw request path -> the decoded segments every router sees, or a refusal.

A path is routed on its segments: split on the literal ``/`` of the raw
(percent-encoded) path *before* decoding, then each segment percent-decoded as
UTF-8. So ``%2F`` inside a segment is part of a parameter value
(``/tags/arn:aws:x%2Fy`` has the two segments ``tags`` and ``arn:aws:x/y``), as
AWS ARNs and GitLab's ``group%2Fproject`` ids need. Every router does exactly
this on the raw path: the gateway (ASGI ``raw_path``), which forwards the raw
path unchanged; every service (``servicekit.contract.canonical`` reads
gunicorn's ``RAW_URI`` or the ASGI ``raw_path``, ``servicekit.contract.urls``
resolves on these segments, not on Django's decoded ``PATH_INFO``); and the
nginx export, which routes on ``$request_uri`` with
:func:`codegen.core.routing.regex.path_regex`. A value reaches its
operation decoded (``arn:aws:x/y``).

Refused with 400 (:class:`NonCanonical`), because some router or server on the
way reads them differently, are only these:

======================  ==========================================================
``.`` / ``..``          dot segments, also encoded (``%2E%2E``, ``.%2e``): clients,
                        proxies and nginx resolve them (``/a/../b`` is ``/b``),
                        Django does not, so two routers would see two paths
empty segments          ``//``, ``/a//b`` (a trailing ``/`` is allowed and
                        significant): nginx and many proxies merge slashes,
                        Django does not, and no path parameter is empty
``%FF``, ``%C3``        encoded bytes that are not UTF-8: WSGI servers hand Django
                        the bytes, ASGI servers replace them with U+FFFD
``%00``                 an encoded NUL: nginx refuses it, and databases
                        (PostgreSQL ``text``) cannot store it
``%zz``, ``%2``         a ``%`` that starts no escape: invalid (RFC 3986) and
                        refused by nginx, passed through by Python servers
raw bytes >= 0x80       must be percent-encoded (RFC 3986); uvicorn cannot read
                        them, gunicorn decodes them as UTF-8
======================  ==========================================================

Example::

    >>> split_raw("/items/a%20b/x")
    ['items', 'a b', 'x']
    >>> split_raw("/tags/arn:aws:x%2Fy")
    ['tags', 'arn:aws:x/y']
    >>> split_raw("/items/%2E%2E/admin").reason
    "the dot segment '%2E%2E' is not routed (clients and proxies remove dot segments)"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

_DOT_SEGMENTS = frozenset({".", ".."})
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a '%' not followed by two hex digits


@dataclass(frozen=True, slots=True)
class NonCanonical:
    """Why a request path is refused (400): ``reason`` is the problem detail."""

    reason: str


def decode_segment(raw: str) -> str | None:
    """One raw segment percent-decoded as UTF-8; ``None`` when the decoded
    bytes are not UTF-8.

    >>> decode_segment("caf%C3%A9"), decode_segment("a%FFb")
    ('café', None)
    """
    if "%" not in raw:
        return raw
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None


def split_raw(raw_path: str) -> list[str] | NonCanonical:
    """The decoded segments of a raw (percent-encoded) path, or why it is refused.

    ``raw_path`` starts with ``/``; the query string is not part of it. It is
    the request target's bytes as latin-1 text (as ASGI ``raw_path`` and
    gunicorn's ``RAW_URI`` give them).
    """
    parts = raw_path.split("/")
    if parts[0] != "":
        return NonCanonical(f"the path {raw_path!r} does not start with '/'")
    if not raw_path.isascii():
        return NonCanonical("the path has bytes that are not ASCII: percent-encode them")
    del parts[0]
    last = len(parts) - 1
    for index, raw in enumerate(parts):
        if "%" in raw:
            decoded = _decode(raw)
            if isinstance(decoded, NonCanonical):
                return decoded
            part = parts[index] = decoded
        else:
            part = raw
        refusal = _refusal(part, raw, index, last)
        if refusal is not None:
            return refusal
    return parts


def _decode(raw: str) -> str | NonCanonical:
    if _BAD_ESCAPE.search(raw):
        return NonCanonical(f"the segment {raw!r} has a '%' that starts no escape")
    decoded = decode_segment(raw)
    if decoded is None:
        return NonCanonical(f"the segment {raw!r} encodes bytes that are not UTF-8")
    if "\x00" in decoded:
        return NonCanonical(f"the segment {raw!r} encodes NUL (%00)")
    return decoded


def split_decoded(path: str) -> list[str] | NonCanonical:
    """The segments of an already decoded path (Django's ``path_info``), or
    why it is refused: for servers that do not keep the raw path (Django's
    test client), where an encoded ``/`` can no longer be told from a
    separator."""
    parts = path.split("/")
    if parts[0] != "":
        return NonCanonical(f"the path {path!r} does not start with '/'")
    del parts[0]
    last = len(parts) - 1
    for index, part in enumerate(parts):
        refusal = _refusal(part, part, index, last)
        if refusal is not None:
            return refusal
    return parts


def _refusal(part: str, raw: str, index: int, last: int) -> NonCanonical | None:
    if part in _DOT_SEGMENTS:
        return NonCanonical(
            f"the dot segment {raw!r} is not routed (clients and proxies remove dot segments)"
        )
    if part == "" and index < last:
        return NonCanonical("empty path segments ('//') are not routed")
    return None
