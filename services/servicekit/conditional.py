"""Optimistic concurrency: entity tags on reads, ``If-Match`` on changes.

A resource's ETag is a strong validator made from its id and a version
counter that every change increments, so it changes exactly when the stored
resource does. ``PUT``/``PATCH`` must send ``If-Match``: absent -> 428,
not matching -> 412 (RFC 9110 section 13.1.1, strong comparison).
"""

from __future__ import annotations

import hashlib

from rest_framework.request import Request

from servicekit.problems import ProblemError


def make_etag(resource_id: object, version: int) -> str:
    """``make_etag("7d0f...", 3)`` -> ``'"5c1e0a9d47b2f3e1"'`` (quoted, opaque, stable)."""
    digest = hashlib.sha256(f"{resource_id}:{version}".encode()).hexdigest()[:16]
    return f'"{digest}"'


def parse_if_match(value: str) -> tuple[str, ...] | None:
    """The entity tags of an ``If-Match`` value; ``None`` stands for ``*``.

    ``'"a", W/"b"'`` -> ``('"a"', 'W/"b"')``; ``'*'`` -> ``None``.
    """
    if value.strip() == "*":
        return None
    return tuple(tag.strip() for tag in value.split(",") if tag.strip())


def require_if_match(request: Request, current_etag: str) -> None:
    """Raise 428 when ``If-Match`` is missing and 412 when it does not match ``current_etag``.

    Weak tags (``W/"..."``) never match: ``If-Match`` uses strong comparison.
    """
    value = request.headers.get("If-Match")
    if value is None or not value.strip():
        raise ProblemError(
            428,
            "This change needs an If-Match header with the resource's current ETag.",
            title="Precondition Required",
        )
    tags = parse_if_match(value)
    if tags is not None and current_etag not in tags:
        raise ProblemError(
            412,
            f"If-Match {value.strip()} does not match the current ETag {current_etag}; "
            "read the resource again and retry.",
            title="Precondition Failed",
        )
