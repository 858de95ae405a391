"""Operation-level rules: operationId (SF301-SF303), summary (SF304), tags
(SF305), security on writes (SF316) and description (SF321).

Example: ``post: {operationId: create_order}`` in a spec whose other
operations are ``listOrders`` and ``getOrder`` yields SF303 at
``#/paths/~1orders/post/operationId`` ("... is snake_case; this spec uses
camelCase").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from codegen.designer.lint.document import WRITE_METHODS, Document, OperationNode
from codegen.designer.lint.findings import Finding

# Casing styles in order of preference when two are equally common.
CASING_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("camelCase", re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$")),
    ("snake_case", re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")),
    ("PascalCase", re.compile(r"^(?:[A-Z][a-z0-9]*)+$")),
    ("kebab-case", re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")),
)


def describe(op: OperationNode) -> str:
    """``"GET /orders/{id}"``: how messages name an operation."""
    return f"{op.method.upper()} {op.path}"


def check(doc: Document) -> Iterator[Finding]:
    ops = list(doc.operations())
    yield from _operation_ids(ops)
    declared_tags = {
        tag.get("name") for tag in doc.root.child("tags").elements() if isinstance(tag.value, dict)
    }
    for op in ops:
        summary = op.node.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            yield Finding("SF304", f"{describe(op)} has no summary", op.node)
        description = op.node.get("description")
        if not isinstance(description, str) or not description.strip():
            yield Finding("SF321", f"{describe(op)} has no description", op.node)
        for tag in op.node.child("tags").elements():
            if isinstance(tag.value, str) and tag.value not in declared_tags:
                yield Finding(
                    "SF305",
                    f"{describe(op)} uses tag {tag.value!r}, which the top-level `tags` "
                    "list does not declare",
                    tag,
                )
        if op.method in WRITE_METHODS:
            yield from _write_security(doc, op)


def _operation_ids(ops: list[OperationNode]) -> Iterator[Finding]:
    first_use: dict[str, OperationNode] = {}
    named: list[tuple[OperationNode, str]] = []
    for op in ops:
        op_id = op.node.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            yield Finding("SF301", f"{describe(op)} has no operationId", op.node)
            continue
        named.append((op, op_id))
        if op_id in first_use:
            other = first_use[op_id]
            yield Finding(
                "SF302",
                f"operationId {op_id!r} of {describe(op)} is already used by {describe(other)}",
                op.node.child("operationId"),
            )
        else:
            first_use[op_id] = op
    style = majority_style([op_id for _, op_id in named])
    if style is None:
        return
    name, pattern = style
    for op, op_id in named:
        if not pattern.match(op_id):
            actual = next((n for n, p in CASING_STYLES if p.match(op_id)), "mixed")
            yield Finding(
                "SF303",
                f"operationId {op_id!r} of {describe(op)} is {actual}; "
                f"the other operations use {name}",
                op.node.child("operationId"),
            )


def majority_style(op_ids: list[str]) -> tuple[str, re.Pattern[str]] | None:
    """The casing style most operationIds fit (ties go to the earlier style).

    >>> majority_style(["listOrders", "getOrder", "create_order"])[0]
    'camelCase'
    """
    if len(op_ids) < 2:
        return None
    counts = [
        (sum(1 for i in op_ids if p.match(i)), -n, (name, p))
        for n, (name, p) in enumerate(CASING_STYLES)
    ]
    best = max(counts, key=lambda entry: (entry[0], entry[1]))
    return best[2] if best[0] > 0 else None


def _write_security(doc: Document, op: OperationNode) -> Iterator[Finding]:
    security = doc.security(op)
    requirements = security.value if isinstance(security.value, list) else []
    if not requirements:
        yield Finding(
            "SF316",
            f"{describe(op)} is a write without a security requirement; anyone can call it",
            op.node,
        )
        return
    for requirement in security.elements():
        if requirement.value == {}:
            yield Finding(
                "SF316",
                f"{describe(op)} is a write whose security allows anonymous calls "
                "(an empty requirement `{}`)",
                requirement,
            )
