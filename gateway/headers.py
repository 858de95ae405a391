"""Header rules of the proxy: what goes upstream, what comes back.

Upstream requests lose hop-by-hop headers (RFC 9110 §7.6.1, plus every header
the ``Connection`` header names), ``Host`` (the client sets the upstream's),
and every ``X-Specfirst-*`` header, which only the gateway may set (the
verified identity travels in ``X-Specfirst-Identity``, signed). ``X-Forwarded-For`` gets the client
address appended; ``X-Forwarded-Proto`` and ``X-Forwarded-Host`` are replaced.
``X-Request-ID`` is kept when it is 1-128 characters of ``[A-Za-z0-9._~:+=/-]``,
else replaced by a new random id.

Example::

    >>> h, rid = upstream_headers([(b"connection", b"x-a"), (b"x-a", b"1"),
    ...     (b"x-specfirst-subject", b"admin"), (b"accept", b"*/*")], "10.0.0.1", "http")
    >>> [k for k, _ in h]
    [b'accept', b'x-forwarded-for', b'x-forwarded-proto', b'x-request-id']
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable

from codegen.core.auth.forwarded import IDENTITY_HEADER as IDENTITY_HEADER_NAME

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Dropped from requests on top of the hop-by-hop set.
_REQUEST_DROP = HOP_BY_HOP | {
    b"host",
    b"expect",  # the gateway answers 100-continue itself
    b"x-forwarded-proto",
    b"x-forwarded-host",
    b"x-request-id",
}
# Dropped from responses on top of the hop-by-hop set (re-added by us).
_RESPONSE_DROP = HOP_BY_HOP | {b"x-request-id", b"date", b"server"}
IDENTITY_PREFIX = b"x-specfirst-"
IDENTITY_HEADER = IDENTITY_HEADER_NAME.lower().encode()
# Every identity header a service ever read: the signed one, and the plain ones a
# development service may still trust (SPECFIRST_TRUST_IDENTITY_HEADERS). Proxies that
# cannot drop a prefix (nginx, Gateway API routes) remove these by name.
IDENTITY_HEADERS = (
    IDENTITY_HEADER,
    b"x-specfirst-subject",
    b"x-specfirst-scopes",
    b"x-specfirst-auth-scheme",
)
_REQUEST_ID = re.compile(rb"[A-Za-z0-9._~:+=/-]{1,128}")


class _RequestIds:
    """32 hex digits: a random half drawn once per process (again after a
    fork), then a counter. Unique without a ``getrandom`` system call per
    request, which ``os.urandom(16)`` costs (measured, docs/gateway.md)."""

    def __init__(self) -> None:
        self.reseed()
        os.register_at_fork(after_in_child=self.reseed)

    def reseed(self) -> None:
        self.prefix = os.urandom(8).hex()
        self.counter = itertools.count()

    def __call__(self) -> str:
        return f"{self.prefix}{next(self.counter):016x}"


new_request_id = _RequestIds()


def request_id_of(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The caller's ``X-Request-ID`` when it is a valid one, else a new id: the id
    a gateway answer (proxied or its own problem) carries."""
    for name, value in headers:
        if name == b"x-request-id" and _REQUEST_ID.fullmatch(value):
            return value.decode("latin-1")
    return new_request_id()


def _connection_tokens(value: bytes) -> set[bytes]:
    return {token.strip().lower() for token in value.split(b",") if token.strip()}


def upstream_headers(
    headers: Iterable[tuple[bytes, bytes]], client: str | None, scheme: str
) -> tuple[list[tuple[bytes, bytes]], str]:
    """Headers for the upstream request, and the request id (see module doc)."""
    out: list[tuple[bytes, bytes]] = []
    drop = _REQUEST_DROP
    request_id = b""
    host = b""
    forwarded_for = b""
    for name, value in headers:
        if name in drop or name.startswith(IDENTITY_PREFIX):
            if name == b"connection":
                drop = drop | _connection_tokens(value)
                out = [(k, v) for k, v in out if k not in drop]
            elif name == b"host":
                host = value
            elif name == b"x-request-id" and _REQUEST_ID.fullmatch(value):
                request_id = value
            continue
        if name == b"x-forwarded-for":
            forwarded_for = value if not forwarded_for else forwarded_for + b", " + value
            continue
        out.append((name, value))
    if client:
        encoded = client.encode()
        out.append(
            (b"x-forwarded-for", forwarded_for + b", " + encoded if forwarded_for else encoded)
        )
    out.append((b"x-forwarded-proto", scheme.encode()))
    if host:
        out.append((b"x-forwarded-host", host))
    rid = request_id.decode("latin-1") if request_id else new_request_id()
    out.append((b"x-request-id", rid.encode()))
    return out, rid


def response_headers(
    raw: Iterable[tuple[bytes, bytes]], request_id: bytes
) -> list[tuple[bytes, bytes]]:
    """Upstream response headers for the client: names lower-cased, hop-by-hop
    (and Connection-named) ones dropped, our ``x-request-id`` added."""
    out: list[tuple[bytes, bytes]] = []
    drop = _RESPONSE_DROP
    for name, value in raw:
        lower = name.lower()
        if lower in drop:
            if lower == b"connection":
                drop = drop | _connection_tokens(value)
                out = [(k, v) for k, v in out if k not in drop]
            continue
        out.append((lower, value))
    out.append((b"x-request-id", request_id))
    return out
