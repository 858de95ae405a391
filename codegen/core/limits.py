"""The limits every HTTP door enforces: one rule for the gateway and the services.

The gateway (uvicorn, :mod:`gateway.limits`) and each service (gunicorn,
:mod:`servicekit.serve`; Django, :mod:`servicekit.parsers` and
:mod:`servicekit.chunked`) read their defaults from :data:`DEFAULT_LIMITS`, so
a request the gateway admits is never refused by a service behind it for a
size the gateway allowed. The defaults follow nginx's: a request line or one
header line up to 8 KiB and all header lines together up to 32 KiB
(``large_client_header_buffers 4 8k``), 60 s to send the headers
(``client_header_timeout``) and between two body reads
(``client_body_timeout``), 75 s for an idle keep-alive connection
(``keepalive_timeout``). The body limit (10 MiB), the JSON nesting depth and
the gateway's whole-body deadline (300 s: a client trickling one byte every
59 s never holds a request for hours) are ours: nginx has no whole-body
deadline and does not parse JSON.

A JSON body nested deeper than ``json_depth`` is refused before it is
parsed: Python's JSON decoder recurses once per level and 100,000 nested
``[`` end in ``RecursionError``. :func:`json_depth_exceeded` measures the
depth without parsing, in one pass over the bytes.

Example::

    >>> json_depth_exceeded(b'{"a": [[1]], "s": "[[[["}', 3)
    False
    >>> json_depth_exceeded(b"[" * 4 + b"]" * 4, 3)
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GUNICORN_MAX_REQUEST_LINE = 8190  # gunicorn refuses a larger limit_request_line


@dataclass(frozen=True, slots=True)
class EdgeLimits:
    """Sizes in bytes, times in seconds (see the module docstring)."""

    request_line: int = GUNICORN_MAX_REQUEST_LINE
    header_line: int = 8190
    header_bytes: int = 32 * 1024
    header_count: int = 100
    header_timeout: float = 60.0
    body_timeout: float = 60.0
    body_deadline: float = 300.0  # the whole body, from its first byte awaited (gateway only)
    keepalive_timeout: float = 75.0
    max_connections: int = 1024  # per gateway worker
    body_limit: int = 10 * 1024 * 1024
    json_depth: int = 64


DEFAULT_LIMITS = EdgeLimits()

# Headers a proxy adds to what it forwards (X-Forwarded-*, X-Request-ID, identity):
# a service allows this many more header lines than the gateway does.
FORWARDED_HEADER_ALLOWANCE = 20
# gunicorn's worker that answers what gunicorn refuses itself (414, 431, 400) as
# problem+json (servicekit/worker.py); named, not imported: the core imports no service.
PROBLEM_WORKER = "servicekit.worker.ProblemThreadWorker"


def gunicorn_limit_options(limits: EdgeLimits = DEFAULT_LIMITS) -> list[str]:
    """gunicorn's request limits from the limits the gateway enforces too, so
    whatever the gateway forwards (its own headers added) a service accepts; every
    gunicorn that serves a service (``servicekit.serve``, ``specfirst test``) uses them."""
    return [
        "--limit-request-line",
        str(min(limits.request_line, GUNICORN_MAX_REQUEST_LINE)),
        "--limit-request-fields",
        str(limits.header_count + FORWARDED_HEADER_ALLOWANCE),
        "--limit-request-field_size",
        str(limits.header_line),
    ]


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENERS = frozenset(b"[{")


def json_depth_exceeded(text: bytes, limit: int) -> bool:
    """Whether the JSON ``text`` nests arrays and objects deeper than ``limit``.

    String contents are skipped (a ``"[["`` is no nesting); the text need
    not be valid JSON: the parser decides that afterwards.
    """
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", text).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        if byte in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
