"""A segment trie that maps (method, request path) to a route.

Matching cost depends on the depth of the path and the number of *different
shapes* at each position, never on the total number of routes: literals are a
dict lookup, dynamic segments a short list tried in precedence order
(see :mod:`gateway.paths`). The trie backtracks, so ``/items/search/reviews``
still reaches ``/items/{id}/reviews`` when the literal ``search`` branch has
no ``reviews`` child.

Which *path* matches is decided first (the most specific template that has
any operation); the method is checked afterwards. So with ``GET
/items/search`` and ``DELETE /items/{id}``, ``DELETE /items/search`` is a 405,
as OpenAPI's "concrete paths before templated ones" rule says.

Request paths are raw (still percent-encoded). A path whose segments include
``.``/``..`` (also encoded as ``%2E``) or an empty segment before the last one
(``//``) is *non-canonical*: it never matches any route.

Example::

    >>> m = Matcher(); m.add(compile_path("/items/{id}"), "GET", "get-item")
    >>> r = m.match("GET", "/items/a%2Fb"); r.status, r.route, r.params()
    (<Status.FULL: 1>, 'get-item', {'id': 'a/b'})
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Generic, TypeVar
from urllib.parse import unquote

from gateway.paths import CompiledPath, Segment

T = TypeVar("T")


class AmbiguousRoute(ValueError):
    """Two templates match exactly the same paths (they differ only in
    parameter names), or one (method, template) was added twice."""

    def __init__(self, existing: CompiledPath, duplicate: CompiledPath, method: str | None) -> None:
        what = f"{method} {duplicate.template}" if method else duplicate.template
        super().__init__(f"{what} conflicts with {existing.template}")
        self.existing = existing
        self.duplicate = duplicate
        self.method = method


class Status(enum.IntEnum):
    FULL = 1
    PARTIAL = 2  # the path is known, the method is not: 405
    NONE = 3  # no such path: 404
    NON_CANONICAL = 4  # dot segments or '//' : 404, never routed


class Leaf(Generic[T]):
    """The end of one template: its compiled path and its routes by method."""

    __slots__ = ("allow", "methods", "path")

    def __init__(self, path: CompiledPath) -> None:
        self.path = path
        self.methods: dict[str, T] = {}
        self.allow = ""


class Node(Generic[T]):
    """``only``/``only_child``: the dynamic child when it is the only one (the
    common case), saving a list walk per match."""

    __slots__ = ("dynamic", "leaf", "literals", "only", "only_child")

    def __init__(self) -> None:
        self.literals: dict[str, Node[T]] = {}
        self.dynamic: list[tuple[Segment, Node[T]]] = []
        self.leaf: Leaf[T] | None = None
        self.only: Segment | None = None
        self.only_child: Node[T] | None = None


class MatchResult(Generic[T]):
    """The outcome of :meth:`Matcher.match`. ``route`` is set for FULL;
    ``allowed`` (the ``Allow`` header value) for PARTIAL."""

    __slots__ = ("captures", "leaf", "route", "status")

    def __init__(
        self,
        status: Status,
        route: T | None = None,
        leaf: Leaf[T] | None = None,
        captures: list[tuple[str, ...]] | None = None,
    ) -> None:
        self.status = status
        self.route = route
        self.leaf = leaf
        self.captures = captures

    @property
    def allowed(self) -> str:
        return self.leaf.allow if self.leaf is not None else ""

    @property
    def template(self) -> str | None:
        return self.leaf.path.template if self.leaf is not None else None

    def params(self) -> dict[str, str]:
        """Decoded path parameter values by name."""
        if self.leaf is None or self.captures is None:
            return {}
        names = iter(self.leaf.path.params)
        return {next(names): value for group in self.captures for value in group}


_DOT_SEGMENTS = frozenset({".", ".."})
_NONE: MatchResult[object] = MatchResult(Status.NONE)
_NON_CANONICAL: MatchResult[object] = MatchResult(Status.NON_CANONICAL)


class Matcher(Generic[T]):
    """The compiled routing trie. Build with :meth:`add`, then :meth:`match`."""

    def __init__(self) -> None:
        self.root: Node[T] = Node()
        self.size = 0

    def add(self, path: CompiledPath, method: str, route: T) -> None:
        """Register ``route`` for ``method`` on ``path``. Raises
        :class:`AmbiguousRoute` on a duplicate or a same-shape template."""
        node = self.root
        for segment in path.segments:
            node = self._child(node, segment)
        if node.leaf is None:
            node.leaf = Leaf(path)
        elif node.leaf.path.template != path.template:
            raise AmbiguousRoute(node.leaf.path, path, None)
        method = method.upper()
        if method in node.leaf.methods:
            raise AmbiguousRoute(node.leaf.path, path, method)
        node.leaf.methods[method] = route
        allowed = set(node.leaf.methods)
        if "GET" in allowed:
            allowed.add("HEAD")
        node.leaf.allow = ", ".join(sorted(allowed))
        self.size += 1

    @staticmethod
    def _child(node: Node[T], segment: Segment) -> Node[T]:
        if not segment.names:
            return node.literals.setdefault(segment.text, Node())
        for existing, child in node.dynamic:
            if existing.shape == segment.shape:
                return child
        child = Node[T]()
        node.dynamic.append((segment, child))
        node.dynamic.sort(key=lambda entry: (entry[0].rank, entry[0].shape))
        single = len(node.dynamic) == 1
        node.only, node.only_child = node.dynamic[0] if single else (None, None)
        return child

    def match(self, method: str, raw_path: str) -> MatchResult[T]:
        """Match a raw (percent-encoded) request path such as ``/a/b%2Fc``."""
        parts = raw_path.split("/")
        if parts[0] != "":
            return _NONE  # type: ignore[return-value]
        del parts[0]
        last = len(parts) - 1
        for index, raw in enumerate(parts):
            part = parts[index] = unquote(raw) if "%" in raw else raw
            if part in _DOT_SEGMENTS or (part == "" and index < last):
                return _NON_CANONICAL  # type: ignore[return-value]
        captures: list[tuple[str, ...]] = []
        leaf = _walk(self.root, parts, 0, len(parts), captures)
        if leaf is None:
            return _NONE  # type: ignore[return-value]
        route = leaf.methods.get(method)
        if route is None and method == "HEAD":
            route = leaf.methods.get("GET")
        if route is None:
            return MatchResult(Status.PARTIAL, leaf=leaf)
        return MatchResult(Status.FULL, route, leaf, captures)

    def leaves(self) -> Iterator[Leaf[T]]:
        """Every template in the trie, depth first."""
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.leaf is not None:
                yield node.leaf
            stack.extend(node.literals.values())
            stack.extend(child for _, child in node.dynamic)


def _walk(
    node: Node[T], parts: list[str], index: int, end: int, captures: list[tuple[str, ...]]
) -> Leaf[T] | None:
    if index == end:
        return node.leaf
    part = parts[index]
    child = node.literals.get(part)
    if child is not None:
        found = _walk(child, parts, index + 1, end, captures)
        if found is not None:
            return found
    only = node.only
    if only is not None:
        value = (part,) if only.plain else only.capture(part)
        if value is None or not part:
            return None
        captures.append(value)
        found = _walk(node.only_child, parts, index + 1, end, captures)  # type: ignore[arg-type]
        if found is None:
            captures.pop()
        return found
    for segment, dynamic_child in node.dynamic:
        value = segment.capture(part)
        if value is None:
            continue
        captures.append(value)
        found = _walk(dynamic_child, parts, index + 1, end, captures)
        if found is not None:
            return found
        captures.pop()
    return None
