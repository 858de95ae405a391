"""SF317: every paginated list has the same pagination shape.

A GET is *paginated* when it has a query parameter with a well-known paging
name (page, limit, offset, cursor, page_size, pageToken, ...). Its *shape* is
the set of those parameter names plus the response envelope: the top-level
property names of its first JSON success response, where array-valued
properties count as ``[]`` whatever their name (lists commonly name the array
after the resource: ``{animals[], page}``, ``{weapons[], page}``), or ``[]``
alone for a bare array. The shape most lists use wins (ties: the first in the
document); every other list is reported.

Example: ``GET /orders?page&page_size → {[], next}`` and
``GET /customers?cursor&limit → {[], next_cursor}`` yield SF317 on
``GET /customers``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from codegen.designer.lint.document import Document, Node, OperationNode
from codegen.designer.lint.findings import Finding
from codegen.designer.lint.rules.operations import describe

PAGING_NAMES = frozenset(
    {
        "page",
        "pagesize",
        "perpage",
        "pagenumber",
        "pagetoken",
        "nextpagetoken",
        "limit",
        "offset",
        "cursor",
        "after",
        "before",
        "startingafter",
        "endingbefore",
        "continuationtoken",
        "skip",
        "take",
        "top",
    }
)


def _normal(name: str) -> str:
    """``page_size``, ``page-size``, ``pageSize`` and ``$top`` all become ``pagesize``/``top``."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def check(doc: Document) -> Iterator[Finding]:
    shapes: list[tuple[OperationNode, str]] = []
    for op in doc.operations():
        if op.method != "get":
            continue
        params = sorted(
            str(param.get("name"))
            for _, param in doc.parameters(op)
            if param.get("in") == "query" and _normal(str(param.get("name"))) in PAGING_NAMES
        )
        if params:
            shapes.append((op, f"({', '.join(params)}) → {envelope(doc, op)}"))
    if len(shapes) < 2:
        return
    counts = Counter(shape for _, shape in shapes)
    order = {shape: index for index, (_, shape) in reversed(list(enumerate(shapes)))}
    common = max(counts, key=lambda shape: (counts[shape], -order[shape]))
    example = next(op for op, shape in shapes if shape == common)
    for op, shape in shapes:
        if shape != common:
            yield Finding(
                "SF317",
                f"{describe(op)} pages as {shape}; the other lists page as {common} "
                f"(e.g. {describe(example)})",
                op.node,
            )


def envelope(doc: Document, op: OperationNode) -> str:
    """The response envelope of a list, e.g. ``{[], next}`` or ``[]``."""
    schema = _success_schema(doc, op)
    if schema is None:
        return "{?}"
    if schema.get("type") == "array" or schema.has("items"):
        return "[]"
    names = []
    for name, prop in _properties(doc, schema):
        resolved = doc.deref(prop)
        is_array = resolved.get("type") == "array" or resolved.has("items")
        names.append("[]" if is_array else name)
    return "{" + ", ".join(sorted(names)) + "}"


def _success_schema(doc: Document, op: OperationNode) -> Node | None:
    for status, raw in op.node.child("responses").items():
        if str(status).startswith("2"):
            for media, content in doc.deref(raw).child("content").items():
                if "json" in media.lower():
                    return doc.deref(content.child("schema"))
    return None


def _properties(doc: Document, schema: Node) -> Iterator[tuple[str, Node]]:
    """Top-level properties, including those contributed through ``allOf``."""
    seen: set[tuple[str, str]] = set()
    stack = [schema]
    while stack:
        node = doc.deref(stack.pop())
        if node.key in seen:
            continue
        seen.add(node.key)
        yield from node.child("properties").items()
        stack.extend(node.child("allOf").elements())
