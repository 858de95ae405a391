"""A navigable view of a loaded spec: nodes that know their file and pointer.

Lint rules and the breaking-change diff both need to walk the *raw* document
(they report the exact key a finding is about) while following ``$ref`` across
files. :class:`Node` is one value together with the file and JSON pointer it
came from; :class:`Document` wraps a ``LoadedSpec`` and answers "what does this
``$ref`` point to" and "where is this node" through the loader, so nothing here
parses YAML or computes line numbers itself.

Example: for ``paths: {/orders: {get: {...}}}`` the operation node is
``Node(file=<specs/orders.yaml>, pointer="/paths/~1orders/get", value={...})``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codegen.core.diagnostics import SourceLocation
from codegen.core.openapi import HTTP_METHODS
from codegen.core.spec.pointer import escape
from codegen.core.spec.refs import RefError
from codegen.core.spec.resources import OutsideSpec

if TYPE_CHECKING:
    from codegen.core.spec.loader import LoadedSpec, SpecFile

WRITE_METHODS: frozenset[str] = frozenset({"post", "put", "patch", "delete"})


@dataclass(frozen=True, slots=True)
class Node:
    """One JSON value, the file it is in and its JSON pointer in that file."""

    file: SpecFile
    pointer: str
    value: Any

    def child(self, *keys: str | int) -> Node:
        """The node at ``keys`` below this one (``value`` is None when absent)."""
        value = self.value
        pointer = self.pointer
        for key in keys:
            pointer = f"{pointer}/{escape(str(key))}"
            if isinstance(value, dict):
                value = value.get(key) if isinstance(key, str) else None
            elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
            else:
                value = None
        return Node(self.file, pointer, value)

    def items(self) -> Iterator[tuple[str, Node]]:
        """``(key, child)`` for a mapping value, in document order."""
        if isinstance(self.value, dict):
            for key in self.value:
                yield key, self.child(key)

    def elements(self) -> Iterator[Node]:
        if isinstance(self.value, list):
            for index in range(len(self.value)):
                yield self.child(index)

    def get(self, key: str, default: Any = None) -> Any:
        return self.value.get(key, default) if isinstance(self.value, dict) else default

    def has(self, key: str) -> bool:
        """Whether the value is a mapping with ``key`` (any other value has no keys)."""
        return isinstance(self.value, dict) and key in self.value

    @property
    def is_ref(self) -> bool:
        return isinstance(self.value, dict) and isinstance(self.value.get("$ref"), str)

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the place (file, pointer): two refs to one component share it."""
        return (self.file.display, self.pointer)


@dataclass(frozen=True, slots=True)
class OperationNode:
    """One operation: its path template, method, node and the path item it is in."""

    path: str
    method: str
    node: Node
    path_item: Node


class Document:
    """A ``LoadedSpec`` seen as :class:`Node` objects.

    ``deref`` follows ``$ref`` chains (also across files) and stops at a cycle
    or a broken reference, returning the last node it reached; loader and
    validator report broken references, so lint and diff stay quiet there.
    """

    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.root = Node(loaded.root, "", loaded.root.data)

    @property
    def display(self) -> str:
        return self.loaded.root.display

    @property
    def openapi_version(self) -> str:
        return str(self.root.get("openapi", ""))

    @property
    def is_30(self) -> bool:
        """OpenAPI 3.0 (``nullable``, boolean ``exclusiveMinimum``) rather than 3.1."""
        return self.openapi_version.startswith("3.0")

    def resolve(self, node: Node) -> Node | None:
        """The target of ``node``'s ``$ref`` (one step), or None if unresolvable."""
        try:
            file, pointer, value = self.loaded.resolve(
                node.value["$ref"], node.file, follow=False, at=node.pointer
            )
        except (RefError, OutsideSpec):
            return None
        return Node(file, pointer, value)

    def deref(self, node: Node) -> Node:
        """Follow ``$ref`` until a non-reference node (cycle- and error-safe)."""
        seen: set[tuple[str, str]] = set()
        while node.is_ref and node.key not in seen:
            seen.add(node.key)
            target = self.resolve(node)
            if target is None:
                return node
            node = target
        return node

    def locate(self, node: Node) -> SourceLocation:
        return self.loaded.locate(node.file, node.pointer)

    def operations(self) -> Iterator[OperationNode]:
        """Every operation under ``paths``, in document order."""
        for path, raw_item in self.root.child("paths").items():
            if not path.startswith("/"):
                continue
            item = self.deref(raw_item)
            for method in HTTP_METHODS:
                op = item.child(method)
                if isinstance(op.value, dict):
                    yield OperationNode(path, method, op, item)

    def parameters(self, op: OperationNode) -> list[tuple[Node, Node]]:
        """Effective parameters as ``(as written, dereferenced)`` pairs: operation-level
        ones override path-level ones with the same ``(name, in)``, as OpenAPI says."""
        merged: dict[tuple[str, str], tuple[Node, Node]] = {}
        for source in (op.path_item.child("parameters"), op.node.child("parameters")):
            for raw in source.elements():
                param = self.deref(raw)
                name, where = param.get("name"), param.get("in")
                if isinstance(name, str) and isinstance(where, str):
                    key = (name.lower() if where == "header" else name, where)
                    merged[key] = (raw, param)
        return list(merged.values())

    def security(self, op: OperationNode) -> Node:
        """The effective security requirement list node (operation, else root)."""
        own = op.node.child("security")
        return own if isinstance(own.value, list) else self.root.child("security")
