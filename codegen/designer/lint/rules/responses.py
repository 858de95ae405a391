"""Response rules: a success response (SF309), a problem+json error response
(SF310), creates answer 201 (SF311); a 201, and any create's success answer,
has a Location header or a link (SF312).

A *create* is a POST to a collection path (last segment literal) for which an
item path ``<collection>/{param}`` exists, e.g. ``POST /orders`` next to
``/orders/{orderId}``. ``POST /orders/{id}/cancel`` is an action, not a create.
"""

from __future__ import annotations

from collections.abc import Iterator

from codegen.designer.lint.document import Document, Node, OperationNode
from codegen.designer.lint.findings import Finding
from codegen.designer.lint.rules.operations import describe
from codegen.designer.lint.rules.paths import TEMPLATE_VARIABLE

PROBLEM_MEDIA_TYPE = "application/problem+json"


def is_success_status(status: str) -> bool:
    return status[:1] in {"2", "3"}


def is_error_status(status: str) -> bool:
    return status[:1] in {"4", "5"} or status == "default"


def media_types(node: Node) -> list[str]:
    """Media type names of a response's ``content``, without parameters, lower-cased."""
    return [name.split(";")[0].strip().lower() for name, _ in node.child("content").items()]


def collection_paths(doc: Document) -> set[str]:
    """Paths that have an item path below them: ``/orders`` for ``/orders/{id}``."""
    collections = set()
    for path, _ in doc.root.child("paths").items():
        parent, _, last = str(path).rstrip("/").rpartition("/")
        if TEMPLATE_VARIABLE.fullmatch(last) and parent:
            collections.add(parent)
    return collections


def check(doc: Document) -> Iterator[Finding]:
    collections = collection_paths(doc)
    for op in doc.operations():
        responses = op.node.child("responses")
        statuses = [str(status) for status, _ in responses.items()]
        if not any(is_success_status(s) for s in statuses):
            yield Finding(
                "SF309", f"{describe(op)} declares no success (2XX or 3XX) response", responses
            )
        if not _has_problem_response(doc, responses):
            yield Finding(
                "SF310",
                f"{describe(op)} declares no error response with {PROBLEM_MEDIA_TYPE} content",
                responses,
            )
        successes = [s for s in statuses if is_success_status(s)]
        if _is_create(op, collections) and "201" not in statuses:
            yield Finding(
                "SF311",
                f"{describe(op)} creates a resource but answers "
                f"{', '.join(successes) or 'nothing'} instead of 201",
                responses,
            )
        # a 201 must lead to what it created; so must a create's answer, whatever its status
        answer = "201" if "201" in statuses else None
        if answer is None and _is_create(op, collections) and successes:
            answer = successes[0]
        created = responses.child(answer) if answer else None
        if created is not None and not _points_to_created(doc, created):
            yield Finding(
                "SF312",
                f"{describe(op)}: the {answer} response has neither a Location header nor a "
                "link to the created resource",
                created,
            )


def _is_create(op: OperationNode, collections: set[str]) -> bool:
    return op.method == "post" and op.path.rstrip("/") in collections


def _has_problem_response(doc: Document, responses: Node) -> bool:
    for status, raw in responses.items():
        if is_error_status(str(status)) and PROBLEM_MEDIA_TYPE in media_types(doc.deref(raw)):
            return True
    return False


def _points_to_created(doc: Document, raw: Node) -> bool:
    response = doc.deref(raw)
    headers = response.get("headers")
    has_location = isinstance(headers, dict) and any(
        str(name).lower() == "location" for name in headers
    )
    links = response.get("links")
    return has_location or (isinstance(links, dict) and bool(links))
