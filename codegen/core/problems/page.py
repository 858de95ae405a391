"""The catalogue page every ``type`` URI points into, rendered from the catalogue.

``type`` is ``/_specfirst/problems#<code>``: a reference relative to whoever
answered, so the gateway and every service (and ``specfirst serve``) answer
``GET /_specfirst/problems`` with :func:`catalog_html`, one section per code
whose ``id`` is the code, so the fragment lands on it. A client asking for JSON
(``Accept: application/json``) gets :func:`catalog_json`, the same entries as
data. ``docs/problems.md`` is rendered from the same :func:`entries`
(:mod:`codegen.generator.problems`).

Example::

    entries()[0].code == "bad_request"
    b'<section id="invalid_request">' in catalog_html()
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from codegen.core.problems.catalog import CATALOG, GATEWAY, SERVICE, TYPE_BASE, ProblemType
from codegen.core.problems.document import body_error, parameter_error, problem

PAGE_PATH = TYPE_BASE
"""The path the page is served at (the ``type`` URIs without their fragment)."""

EXAMPLE_REQUEST_ID = "3f2a9c1e8b7d4e6f"

# The request path of each code's example document; the rest use /orders.
_EXAMPLE_PATHS: Mapping[str, str] = {
    "not_found": "/products/0b7e2f1c-5d4a-4c1e-9a57-6a3e0f9c2b11",
    "method_not_allowed": "/categories",
    "conflict": "/categories",
    "route_not_found": "/nope",
    "non_canonical_path": "/orders/../customers",
    "operation_not_selected": "/search",
    "no_asset": "/_specfirst/static/nope.js",
    "forbidden": "/categories",
}

# Members beyond the standard ones that a code's example carries.
_EXAMPLE_MEMBERS: Mapping[str, Mapping[str, Any]] = {
    "invalid_request": {
        "errors": [body_error(["lines", 0, "quantity"], "0 is less than the minimum of 1")]
    },
    "operation_not_selected": {"missing": ["q", "sku"]},
    "bad_request": {"errors": [parameter_error("limit", "query", "Must be an integer.")]},
}

_RAISED_BY = {
    frozenset({GATEWAY, SERVICE}): "gateway and services",
    frozenset({GATEWAY}): "gateway",
    frozenset({SERVICE}): "services",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One code as the page shows it."""

    code: str
    type: str
    status: int
    title: str
    meaning: str
    raised_by: str
    example: Mapping[str, Any]


def _entry(kind: ProblemType) -> Entry:
    members = dict(_EXAMPLE_MEMBERS.get(kind.code, {}))
    example = problem(
        kind.code,
        kind.example,
        instance=_EXAMPLE_PATHS.get(kind.code, "/orders"),
        request_id=EXAMPLE_REQUEST_ID,
        errors=members.pop("errors", None),
        **members,
    )
    return Entry(
        kind.code,
        kind.type,
        kind.status,
        kind.title,
        kind.description,
        _RAISED_BY[kind.raised_by],
        example,
    )


@cache
def entries() -> Sequence[Entry]:
    """Every catalogued code, in the catalogue's order (generic codes first)."""
    return tuple(_entry(kind) for kind in CATALOG.values())


def example_json(document: Mapping[str, Any]) -> str:
    """A problem document as the page and docs print it (indented, keys in order)."""
    return json.dumps(document, indent=2, ensure_ascii=False)


def _inline(text: str) -> str:
    """Escaped text with ```code``` spans as ``<code>``."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;"
    "border-bottom:1px solid #ddd}pre{background:#f6f8fa;padding:.8rem;overflow:auto}"
    "section{margin-top:2rem}:target{outline:2px solid #4a90d9;outline-offset:.5rem}"
)


def _section(entry: Entry) -> str:
    return (
        f'<section id="{entry.code}">\n'
        f"<h2><code>{entry.code}</code>: {html.escape(entry.title)}</h2>\n"
        f"<p><b>Status</b> {entry.status} · <b>Sent by</b> {entry.raised_by} · "
        f"<b>type</b> <code>{html.escape(entry.type)}</code></p>\n"
        f"<p>{_inline(entry.meaning)}</p>\n"
        f"<pre>{html.escape(example_json(entry.example), quote=False)}</pre>\n"
        "</section>\n"
    )


@cache
def catalog_html() -> bytes:
    """The whole page (UTF-8 HTML): an index table, then one section per code."""
    rows = "".join(
        f'<tr><td><a href="#{e.code}"><code>{e.code}</code></a></td>'
        f"<td>{e.status}</td><td>{html.escape(e.title)}</td></tr>\n"
        for e in entries()
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Problem types</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        "<h1>Problem types</h1>\n"
        "<p>Every error is an RFC 9457 <code>application/problem+json</code> document: "
        "<code>type</code> (a link to its section below), <code>title</code>, "
        "<code>status</code>, <code>detail</code>, <code>instance</code> (the request path), "
        "<code>code</code> (stable: branch on it), <code>request_id</code> (the "
        "<code>X-Request-ID</code> of the request) and, for invalid input, <code>errors</code>: "
        "one entry per invalid part, with a <code>pointer</code> (RFC 6901) into the request "
        "body, or a <code>parameter</code> (with <code>in</code>) or <code>header</code>.</p>\n"
        f"<table>\n<tr><th>code</th><th>status</th><th>title</th></tr>\n{rows}</table>\n"
        + "".join(_section(e) for e in entries())
        + "</body>\n</html>\n"
    )
    return page.encode()


@cache
def catalog_json() -> bytes:
    """The page's entries as JSON: ``{"problems": [{"code": ..., "type": ..., ...}]}``."""
    items = [
        {
            "code": e.code,
            "type": e.type,
            "status": e.status,
            "title": e.title,
            "meaning": e.meaning,
            "sent_by": e.raised_by,
            "example": e.example,
        }
        for e in entries()
    ]
    return json.dumps({"problems": items}, ensure_ascii=False).encode()


def wants_json(accept: str) -> bool:
    """Whether an ``Accept`` header prefers JSON to HTML (no header: HTML, for a browser).

    ``wants_json("application/json")`` is true; ``wants_json("text/html,*/*")`` and
    ``wants_json("")`` are false.
    """
    types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for media in types:
        if media in ("text/html", "*/*", "text/*"):
            return False
        if media == "application/json" or media.endswith("+json"):
            return True
    return False
