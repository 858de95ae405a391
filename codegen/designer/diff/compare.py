"""Compare two loaded specs: paths, operations, and everything below them.

Paths are matched by their template with parameter names erased, so
``/orders/{id}`` and ``/orders/{orderId}`` are the same path (an exact match
wins when several templates share a shape). Every change found is a
:class:`codegen.designer.diff.model.Change`, sorted by level (breaking first), then by
position in the new file.

Example: removing ``DELETE /orders/{id}`` from an otherwise unchanged spec gives
``[Change("SF402", Level.BREAKING, "DELETE /orders/{id}: operation removed", ...)]``.
"""

from __future__ import annotations

from codegen.core.spec.loader import LoadedSpec
from codegen.designer.diff.model import Change, DiffContext, Subject
from codegen.designer.diff.operations import compare_operation, label
from codegen.designer.lint.document import Document, Node, OperationNode
from codegen.designer.lint.rules.paths import template_shape


def _operations(doc: Document) -> dict[str, dict[str, OperationNode]]:
    """path → method → operation."""
    found: dict[str, dict[str, OperationNode]] = {}
    for op in doc.operations():
        found.setdefault(op.path, {})[op.method] = op
    return found


def _match_paths(old: list[str], new: list[str]) -> list[tuple[str | None, str | None]]:
    """Pairs (old path, new path); exact templates first, then equal shapes."""
    pairs: list[tuple[str | None, str | None]] = []
    rest_new = [p for p in new if p not in old]
    for path in old:
        if path in new:
            pairs.append((path, path))
            continue
        match = next((p for p in rest_new if template_shape(p) == template_shape(path)), None)
        if match is not None:
            rest_new.remove(match)
        pairs.append((path, match))
    pairs.extend((None, path) for path in rest_new)
    return pairs


def compare_documents(old: Document, new: Document) -> list[Change]:
    ctx = DiffContext(old, new)
    before, after = _operations(old), _operations(new)
    old_paths, new_paths = old.root.child("paths"), new.root.child("paths")
    for old_path, new_path in _match_paths(list(before), list(after)):
        if new_path is None:
            assert old_path is not None
            ctx.report(
                "SF401",
                f"path {old_path} removed",
                old_paths.child(old_path),
                new_paths,
                subject=Subject("*", old_path),
            )
            continue
        if old_path is None:
            ctx.report("SF403", f"path {new_path} added", old_paths, new_paths.child(new_path))
            continue
        _compare_path(ctx, before[old_path], after[new_path], old_paths.child(old_path))
    return sort_changes(ctx.changes)


def _compare_path(
    ctx: DiffContext,
    old: dict[str, OperationNode],
    new: dict[str, OperationNode],
    old_item: Node,
) -> None:
    for method, op in old.items():
        ctx.operation = Subject(method.upper(), op.path)
        if method in new:
            compare_operation(ctx, op, new[method])
        else:
            any_new = next(iter(new.values()))
            ctx.report("SF402", f"{label(op)}: operation removed", op.node, any_new.path_item)
    ctx.operation = None
    for method, op in new.items():
        if method not in old:
            ctx.report("SF404", f"{label(op)}: operation added", old_item, op.node)


def sort_changes(changes: list[Change]) -> list[Change]:
    """Breaking first, then by place (in the new file, else the old one)."""

    def key(change: Change) -> tuple[int, str, int, int, str]:
        where = change.new or change.old
        assert where is not None
        return (-change.level, where.file, where.line, where.column, change.message)

    return sorted(changes, key=key)


def compare_specs(old: LoadedSpec, new: LoadedSpec) -> list[Change]:
    """Every classified change from ``old`` to ``new`` (see the module docstring)."""
    return compare_documents(Document(old), Document(new))
