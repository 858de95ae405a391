"""Entity tags and conditional requests (RFC 9110 section 13).

Reads: a resource's ETag is a strong validator made from its id and a
version counter that every change increments, so it changes exactly when the
stored resource does. :class:`ConditionalGetMiddleware` (in every service's
middleware) answers a ``GET``/``HEAD`` whose ``200`` carries an ``ETag`` or
``Last-Modified`` with ``304 Not Modified`` when the client's copy is current:

* ``If-None-Match`` (a list of tags, or ``*``) uses weak comparison
  (``W/"a"`` matches ``"a"``), section 13.1.2;
* ``If-Modified-Since`` is evaluated only without ``If-None-Match`` and only
  against a ``Last-Modified`` the response sends, section 13.1.3; a value that
  is not an HTTP-date is ignored.

The 304 keeps the headers section 15.4.5 names (``ETag``, ``Last-Modified``,
``Cache-Control``, ``Expires``, ``Vary``, ``Content-Location``, ``Date``) and no
body. The gateway declares it in the merged spec on every ``GET`` whose
success response declares one of these validators
(:mod:`gateway.compose.edge`).

Changes: ``PUT``/``PATCH`` must send ``If-Match``: absent -> 428, not
matching -> 412 (section 13.1.1, strong comparison).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import datetime

from django.http import HttpRequest, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.request import Request

from servicekit.problems import ProblemError

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text.
# A comma is a valid etagc, so a list is tokenized by tags, not split on commas.
_ENTITY_TAG = re.compile(r'(?:W/)?"[\x21\x23-\x7e\x80-\xff]*"')
_LIST_SEPARATOR = re.compile(r"[ \t]*,[ \t]*")
SAFE_METHODS = frozenset({"GET", "HEAD"})
NOT_MODIFIED_HEADERS = (
    "Cache-Control",
    "Content-Location",
    "Date",
    "ETag",
    "Expires",
    "Last-Modified",
    "Vary",
)


def make_etag(resource_id: object, version: int) -> str:
    """``make_etag("7d0f...", 3)`` -> ``'"5c1e0a9d47b2f3e1"'`` (quoted, opaque, stable)."""
    digest = hashlib.sha256(f"{resource_id}:{version}".encode()).hexdigest()[:16]
    return f'"{digest}"'


def make_last_modified(moment: datetime) -> str:
    """``datetime(1994, 11, 6, 8, 49, 37, 5, tzinfo=UTC)`` -> ``"Sun, 06 Nov 1994 08:49:37 GMT"``.

    An HTTP-date has whole seconds: two changes within one second share it,
    which is why ``If-None-Match`` (the ETag) is evaluated first when sent.
    """
    return http_date(moment.timestamp())


def parse_entity_tags(value: str) -> tuple[str, ...] | None:
    """The entity tags of an ``If-Match``/``If-None-Match`` value; ``None`` stands for ``*``.

    ``'"a", W/"b"'`` -> ``('"a"', 'W/"b"')``; ``'"a,b"'`` -> ``('"a,b"',)``;
    ``'*'`` -> ``None``. A malformed element ends the list (the tags before it count).
    """
    text = value.strip(" \t")
    if text == "*":
        return None
    tags: list[str] = []
    position = 0
    while position < len(text):
        separator = _LIST_SEPARATOR.match(text, position)
        if separator is not None:  # empty list elements are allowed (RFC 9110 5.6.1)
            position = separator.end()
            continue
        tag = _ENTITY_TAG.match(text, position)
        if tag is None:
            break
        tags.append(tag.group())
        position = tag.end()
        while position < len(text) and text[position] in " \t":
            position += 1
        if position < len(text) and text[position] != ",":
            break
    return tuple(tags)


def opaque_tag(tag: str) -> str:
    """``'W/"a"'`` -> ``'"a"'``: the part weak comparison looks at."""
    return tag[2:] if tag.startswith("W/") else tag


def weak_match(tag: str, current: str) -> bool:
    """Weak comparison: equal opaque tags, either or both may be weak."""
    return opaque_tag(tag) == opaque_tag(current)


def not_modified(headers: Mapping[str, str], etag: str | None, last_modified: str | None) -> bool:
    """Whether a ``GET``/``HEAD`` with request ``headers`` gets 304 for a
    representation with these validators.

    ``{"If-None-Match": 'W/"a", "b"'}`` with etag ``'"b"'`` -> True;
    ``{"If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"}`` with an older
    or equal ``last_modified`` -> True.
    """
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = parse_entity_tags(if_none_match)
        if tags is None:
            return True  # "*": a current representation exists
        return etag is not None and any(weak_match(tag, etag) for tag in tags)
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since is None or last_modified is None:
        return False
    since = parse_http_date_safe(if_modified_since)
    modified = parse_http_date_safe(last_modified)
    return since is not None and modified is not None and modified <= since


def not_modified_response(response: HttpResponseBase) -> HttpResponseNotModified:
    """The 304 for ``response``: its validators and caching headers, no body."""
    answer = HttpResponseNotModified()
    for name in NOT_MODIFIED_HEADERS:
        if name in response:
            answer[name] = response[name]
    return answer


def conditional_get(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """``response``, or its 304 when ``request`` is a conditional ``GET``/``HEAD``
    the representation satisfies (only 200 responses with a validator qualify)."""
    if request.method not in SAFE_METHODS or response.status_code != 200:
        return response
    etag = response.get("ETag")
    last_modified = response.get("Last-Modified")
    if etag is None and last_modified is None:
        return response
    if not_modified(request.headers, etag, last_modified):
        return not_modified_response(response)
    return response


class ConditionalGetMiddleware:
    """Django middleware applying :func:`conditional_get` to every response.

    It sits outside ``CommonMiddleware`` so that the 304 leaves without the
    ``Content-Length: 0`` that would misstate the 200's length (RFC 9110 8.6).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return conditional_get(request, self.get_response(request))


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
    tags = parse_entity_tags(value)
    if tags is not None and current_etag not in tags:
        raise ProblemError(
            412,
            f"If-Match {value.strip()} does not match the current ETag {current_etag}; "
            "read the resource again and retry.",
            title="Precondition Failed",
        )
