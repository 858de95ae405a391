"""Walk every schema, parameter, header and media type of a document once.

Rules about schemas (types, examples, nullable) must see each schema exactly
once, wherever it is written: in ``components``, inline in an operation, or in
another file reached through ``$ref``. :func:`schemas` yields each schema node
(dereferenced, keyed by file and pointer) with the keyword that led to it;
:func:`holders` yields the objects that carry a schema plus ``example``/
``examples`` (parameters, headers, media types) with their direction.

Example: ``properties: {tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}}``
yields the ``tags`` schema (via ``properties``) and the ``Tag`` component
(via ``items``), the latter only once however often it is referenced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from codegen.core.openapi import HTTP_METHODS, REQUEST, RESPONSE
from codegen.core.spec import keywords
from codegen.designer.lint.document import Document, Node

ANY = "any"  # an example checked in either direction


@dataclass(frozen=True, slots=True)
class Holder:
    """A parameter, header or media type object: it has ``schema`` and examples.

    ``context`` is the direction (``"request"``/``"response"``) that decides
    whether readOnly or writeOnly properties may be left out of its examples.
    """

    node: Node
    context: str
    kind: str  # "parameter" | "header" | "media type"


@dataclass(frozen=True, slots=True)
class SchemaVisit:
    node: Node  # dereferenced schema
    via: str | None  # the keyword of the parent that led here (None: a top-level schema)


def path_items(doc: Document) -> Iterator[Node]:
    """Every path item (paths, webhooks, components.pathItems), dereferenced."""
    for section in (
        doc.root.child("paths"),
        doc.root.child("webhooks"),
        doc.root.child("components", "pathItems"),
    ):
        for _, item in section.items():
            yield doc.deref(item)


def holders(doc: Document) -> Iterator[Holder]:
    """Every parameter, header and media type object once, with its direction."""
    seen: set[tuple[str, str]] = set()
    for holder in _all_holders(doc):
        if holder.node.key not in seen and isinstance(holder.node.value, dict):
            seen.add(holder.node.key)
            yield holder


def _all_holders(doc: Document) -> Iterator[Holder]:
    components = doc.root.child("components")
    for item in path_items(doc):
        for raw in item.child("parameters").elements():
            yield from _with_content(doc.deref(raw), REQUEST, "parameter")
        for method in HTTP_METHODS:
            op = item.child(method)
            if not isinstance(op.value, dict):
                continue
            for raw in op.child("parameters").elements():
                yield from _with_content(doc.deref(raw), REQUEST, "parameter")
            body = doc.deref(op.child("requestBody"))
            yield from _content(body, REQUEST)
            for _, response in op.child("responses").items():
                yield from _response(doc, doc.deref(response))
    for _, param in components.child("parameters").items():
        yield from _with_content(doc.deref(param), REQUEST, "parameter")
    for _, body in components.child("requestBodies").items():
        yield from _content(doc.deref(body), REQUEST)
    for _, response in components.child("responses").items():
        yield from _response(doc, doc.deref(response))
    for _, header in components.child("headers").items():
        yield from _with_content(doc.deref(header), RESPONSE, "header")


def _response(doc: Document, response: Node) -> Iterator[Holder]:
    for _, header in response.child("headers").items():
        yield from _with_content(doc.deref(header), RESPONSE, "header")
    yield from _content(response, RESPONSE)


def _with_content(node: Node, context: str, kind: str) -> Iterator[Holder]:
    yield Holder(node, context, kind)
    yield from _content(node, context)


def _content(node: Node, context: str) -> Iterator[Holder]:
    for _, media in node.child("content").items():
        yield Holder(media, context, "media type")


def top_schemas(doc: Document) -> Iterator[Node]:
    """Schemas written directly in components or in a holder (not dereferenced)."""
    for _, schema in doc.root.child("components", "schemas").items():
        yield schema
    for holder in holders(doc):
        schema = holder.node.child("schema")
        if schema.value is not None:
            yield schema


def request_body_media(doc: Document) -> Iterator[Node]:
    """The media type objects of every request body (operations', then components')."""
    bodies: list[Node] = []
    for item in path_items(doc):
        for method in HTTP_METHODS:
            op = item.child(method)
            if isinstance(op.value, dict):
                bodies.append(doc.deref(op.child("requestBody")))
    bodies.extend(
        doc.deref(body) for _, body in doc.root.child("components", "requestBodies").items()
    )
    for body in bodies:
        for _, media in body.child("content").items():
            yield media


def schemas(doc: Document) -> Iterator[SchemaVisit]:
    """Every schema once (dereferenced), depth first, following ``$ref``.

    In 3.1 a ``$ref`` is one keyword among others: a schema that has siblings
    beside its ``$ref`` (``examples``, ``unevaluatedProperties``, ...) is visited
    itself, and then its target.
    """
    return reachable(doc, top_schemas(doc))


def reachable(doc: Document, roots: Iterable[Node]) -> Iterator[SchemaVisit]:
    """Every schema reachable from ``roots`` once, as :func:`schemas` visits them."""
    seen: set[tuple[str, str]] = set()
    stack: list[SchemaVisit] = [SchemaVisit(node, None) for node in roots]
    stack.reverse()
    while stack:
        visit = stack.pop()
        written = visit.node
        siblings = not doc.is_30 and written.is_ref and len(written.value) > 1
        if siblings and written.key not in seen:
            seen.add(written.key)
            yield visit
            stack.extend(reversed(list(subschemas(written))))
        node = doc.deref(written)
        if node.key in seen or not isinstance(node.value, dict):
            continue
        seen.add(node.key)
        yield SchemaVisit(node, visit.via)
        stack.extend(reversed(list(subschemas(node))))


def subschemas(node: Node) -> Iterator[SchemaVisit]:
    """The direct subschemas of one schema node, with the keyword holding them."""
    if not isinstance(node.value, dict):
        return
    for keys, value in keywords.subschemas(node.value):
        if isinstance(value, dict):
            yield SchemaVisit(node.child(*keys), str(keys[0]))
