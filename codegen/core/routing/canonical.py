"""Raw request path -> the decoded segments every router sees, or a refusal.

A path is routed on its segments: split on ``/`` *before* percent-decoding,
then each segment percent-decoded as UTF-8, as Django decodes ``PATH_INFO``.
The gateway
routes the raw path this way and forwards it unchanged; the service's WSGI or
ASGI server decodes it once into ``PATH_INFO``. Both then see the same
segments, except for the paths refused here, which a downstream router would
read differently from the gateway:

==================  =============================================================
``%2F`` / ``%2f``   an encoded ``/``: one segment here, two after decoding
``.`` / ``..``      dot segments (also encoded, ``%2E%2E``): clients, proxies and
                    nginx remove them, Django does not
empty segments      ``//`` or ``/a//b``: nginx merges them, Django does not
``%FF``             encoded bytes that are not UTF-8: WSGI servers hand Django the
                    bytes, ASGI servers replace them with U+FFFD
==================  =============================================================

Such a path is refused with 400 (:class:`NonCanonical`) by the gateway and by
every service (``servicekit.contract.canonical``), so no two routers ever
disagree about it.

Example::

    >>> split_raw("/items/a%20b/x")
    ['items', 'a b', 'x']
    >>> split_raw("/items/x%2Freviews").reason
    "the segment 'x%2Freviews' contains an encoded '/' (%2F)"
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

_DOT_SEGMENTS = frozenset({".", ".."})


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

    ``raw_path`` starts with ``/``; the query string is not part of it.
    """
    parts = raw_path.split("/")
    if parts[0] != "":
        return NonCanonical(f"the path {raw_path!r} does not start with '/'")
    del parts[0]
    last = len(parts) - 1
    for index, raw in enumerate(parts):
        if "%" in raw:
            if "%2F" in raw or "%2f" in raw:
                return NonCanonical(f"the segment {raw!r} contains an encoded '/' (%2F)")
            decoded = decode_segment(raw)
            if decoded is None:
                return NonCanonical(f"the segment {raw!r} encodes bytes that are not UTF-8")
            part = parts[index] = decoded
        else:
            part = raw
        refusal = _refusal(part, raw, index, last)
        if refusal is not None:
            return refusal
    return parts


def split_decoded(path: str) -> list[str] | NonCanonical:
    """The segments of an already decoded path (Django's ``path_info``), or
    why it is refused. An encoded ``/`` can no longer be seen here: services
    check the raw path first (``servicekit.contract.canonical``)."""
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


def canonical_raw(raw_path: str) -> NonCanonical | None:
    """:func:`split_raw`'s refusal of ``raw_path``, if any (the check alone)."""
    found = split_raw(raw_path)
    return found if isinstance(found, NonCanonical) else None
