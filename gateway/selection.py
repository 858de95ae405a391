"""What :mod:`codegen.core.routing.select` reads from an ASGI request.

Only requests to a path and method that several operations share (path keys
with a ``#...``/``?...`` suffix) pay for this: the query string is parsed and
the headers indexed here, once, when the matcher answers ``SELECT``.

Example: ``GET /tags/x?tagKeys=a`` -> ``query("tagKeys") == ["a"]``;
``header("x-amz-target")`` is the value of ``X-Amz-Target`` (or ``None``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from codegen.core.routing.select import HeaderLookup, QueryLookup


def request_lookups(scope: Mapping[str, Any]) -> tuple[QueryLookup, HeaderLookup]:
    """(query lookup, header lookup) of an ASGI HTTP scope."""
    raw_query: bytes = scope.get("query_string", b"")
    query = parse_qs(raw_query.decode("latin-1"), keep_blank_values=True)
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", ())
    }
    return (lambda name: query.get(name, [])), headers.get
