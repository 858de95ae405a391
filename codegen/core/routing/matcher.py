"""The segment trie that maps (method, request path) to a route.

Matching cost depends on the depth of the path and the number of *different
shapes* at each position, never on the total number of routes: literals are a
dict lookup, dynamic segments a short list tried in precedence order
(:mod:`.kinds`). The trie backtracks, so ``/items/search/reviews`` still
reaches ``/items/{id}/reviews`` when the literal ``search`` branch has no
``reviews`` child.

The most specific template *that declares the request's method* wins: the
walk backtracks past a template that matches the path but lacks the method,
as werkzeug's and Starlette's routers do. So with ``GET /items/search`` and
``DELETE /items/{id}``, ``DELETE /items/search`` reaches ``DELETE
/items/{id}``, and with ``PUT /jobs/$next`` and ``GET /jobs/{id}``, ``GET
/jobs/$next`` is the job named ``$next``. A concrete path still beats a
templated one for every method it declares (OpenAPI's rule). Only when no
template of the path declares the method is the answer 405, and its
``Allow`` names the methods of every template that matches the path.

Templates of equal shape (``/v1/{parent}``, ``/v1/{name}``) share one leaf:
each method keeps the template it was declared with, so both are routed when
their methods differ; for a method declared on both, the first added wins and
:meth:`Matcher.add` returns a :class:`Shadowed` naming it. Operations of one
method whose path keys carry different suffixes are chosen by query or header
(:mod:`.select`): the match has status ``SELECT`` until
:meth:`MatchResult.select` decides.

Example::

    >>> from codegen.core.routing.templates import compile_path
    >>> m = Matcher(); m.add(compile_path("/items/{id}"), "GET", "get-item")
    >>> r = m.match("GET", "/items/a%20b"); r.status, r.route, r.params()
    (<Status.FULL: 1>, 'get-item', {'id': 'a b'})
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from codegen.core.routing.canonical import NonCanonical, split_raw
from codegen.core.routing.select import Dispatch, HeaderLookup, QueryLookup, Selector, Unselected
from codegen.core.routing.templates import CompiledPath, Segment

T = TypeVar("T")


class Status(enum.IntEnum):
    FULL = 1
    PARTIAL = 2  # the path is known, the method is not: 405
    NONE = 3  # no such path: 404
    NON_CANONICAL = 4  # refused before routing (canonical.NonCanonical): 400
    SELECT = 5  # several operations of this method: MatchResult.select() decides
    UNSELECTED = 6  # none of them is selected by the request: 400


@dataclass(frozen=True, slots=True)
class Shadowed(Generic[T]):
    """:meth:`Matcher.add` did not add a route: ``existing`` (on
    ``existing_path``) already answers every request it would."""

    existing: T
    existing_path: CompiledPath


def unreachable_detail(method: str, key: str, existing_key: str) -> str:
    """The message for a route that :meth:`Matcher.add` shadowed, used by the
    generator (SF250) and the gateway (SF512) alike.

    >>> print(unreachable_detail("GET", "/v1/{name}", "/v1/{parent}"))
    GET /v1/{name} is unreachable: GET /v1/{parent}, declared first, takes every request it would
    """
    return (
        f"{method} {key} is unreachable: {method} {existing_key}, declared first, "
        "takes every request it would"
    )


def allow_value(leaves: Iterable[Leaf[Any]]) -> str:
    """The ``Allow`` header value of a path whose templates are ``leaves``."""
    return ", ".join(sorted({method for leaf in leaves for method in leaf.served}))


class Leaf(Generic[T]):
    """The end of one template shape: its routes by method.

    ``methods`` holds the methods with one route; ``dispatch`` those with
    several, told apart by selectors; ``paths`` the templates of methods
    declared on another template of this shape than ``path``."""

    __slots__ = ("allow", "dispatch", "methods", "path", "paths", "selectors", "served")

    def __init__(self, path: CompiledPath) -> None:
        self.path = path
        self.methods: dict[str, T] = {}
        self.selectors: dict[str, Selector] = {}
        self.paths: dict[str, CompiledPath] = {}
        self.dispatch: dict[str, Dispatch[tuple[T, CompiledPath]]] = {}
        self.allow = ""
        self.served: frozenset[str] = frozenset()  # the methods of ``allow``

    def path_for(self, method: str) -> CompiledPath:
        return self.paths.get(method, self.path) if self.paths else self.path

    def routes(self) -> Iterator[tuple[str, T, CompiledPath, Selector]]:
        """Every ``(method, route, template, selector)`` of this leaf."""
        for method, route in self.methods.items():
            yield method, route, self.path_for(method), self.selectors.get(method, ())
        for method, dispatch in self.dispatch.items():
            for selector, (route, path) in dispatch.routes:
                yield method, route, path, selector


class Node(Generic[T]):
    """``only``: the dynamic ``(segment, child)`` when it is the only one (the
    common case), saving a list walk per match."""

    __slots__ = ("dynamic", "leaf", "literals", "only")

    def __init__(self) -> None:
        self.literals: dict[str, Node[T]] = {}
        self.dynamic: list[tuple[Segment, Node[T]]] = []
        self.leaf: Leaf[T] | None = None
        self.only: tuple[Segment, Node[T]] | None = None


class MatchResult(Generic[T]):
    """The outcome of :meth:`Matcher.match`. ``route`` and ``path`` are set
    for FULL; ``allowed`` (the ``Allow`` header value) for PARTIAL;
    ``refusal`` for NON_CANONICAL; ``unselected`` for UNSELECTED."""

    __slots__ = (
        "allow",
        "captures",
        "dispatch",
        "leaf",
        "path",
        "refusal",
        "route",
        "status",
        "unselected",
    )

    def __init__(
        self,
        status: Status,
        route: T | None = None,
        leaf: Leaf[T] | None = None,
        captures: list[tuple[str, ...]] | None = None,
        path: CompiledPath | None = None,
    ) -> None:
        self.status = status
        self.route = route
        self.leaf = leaf
        self.captures = captures
        self.path = path
        self.dispatch: Dispatch[tuple[T, CompiledPath]] | None = None
        self.refusal: NonCanonical | None = None
        self.unselected: Unselected | None = None
        self.allow: str | None = None  # PARTIAL: the methods of every matching template

    @property
    def allowed(self) -> str:
        if self.allow is not None:
            return self.allow
        return self.leaf.allow if self.leaf is not None else ""

    @property
    def template(self) -> str | None:
        if self.path is not None:
            return self.path.template
        return self.leaf.path.template if self.leaf is not None else None

    def params(self) -> dict[str, str]:
        """Decoded path parameter values by name."""
        if self.path is None or self.captures is None:
            return {}
        names = iter(self.path.params)
        return {next(names): value for group in self.captures for value in group}

    def select(self, query: QueryLookup, header: HeaderLookup) -> MatchResult[T]:
        """For SELECT: the FULL match of the operation the request selects, or
        UNSELECTED (400); any other status is returned unchanged."""
        if self.dispatch is None:
            return self
        chosen = self.dispatch.choose(query, header)
        if isinstance(chosen, Unselected):
            result: MatchResult[T] = MatchResult(Status.UNSELECTED, leaf=self.leaf)
            result.unselected = chosen
            return result
        route, path = chosen
        return MatchResult(Status.FULL, route, self.leaf, self.captures, path)


class Matcher(Generic[T]):
    """The compiled routing trie. Build with :meth:`add`, then :meth:`match`."""

    def __init__(self) -> None:
        self.root: Node[T] = Node()
        self.size = 0
        self._none: MatchResult[T] = MatchResult(Status.NONE)

    def add(
        self, path: CompiledPath, method: str, route: T, selector: Selector = ()
    ) -> Shadowed[T] | None:
        """Register ``route`` for ``method`` on ``path`` (chosen by ``selector``
        when other routes share the method and shape); ``None`` when added, a
        :class:`Shadowed` when an earlier route already takes its requests."""
        node = self.root
        for segment in path.segments:
            node = self._child(node, segment)
        leaf = node.leaf
        if leaf is None:
            leaf = node.leaf = Leaf(path)
        method = method.upper()
        if method in leaf.dispatch:
            kept = leaf.dispatch[method].add(selector, (route, path))
            if kept is not None:
                return Shadowed(*kept)
        elif method in leaf.methods:
            existing, existing_path = leaf.methods[method], leaf.path_for(method)
            existing_selector = leaf.selectors.pop(method, ())
            if existing_selector == selector:
                if selector:
                    leaf.selectors[method] = selector
                return Shadowed(existing, existing_path)
            dispatch: Dispatch[tuple[T, CompiledPath]] = Dispatch()
            dispatch.add(existing_selector, (existing, existing_path))
            dispatch.add(selector, (route, path))
            leaf.dispatch[method] = dispatch
            del leaf.methods[method]
            leaf.paths.pop(method, None)
        else:
            leaf.methods[method] = route
            if selector:
                leaf.selectors[method] = selector
            if path.template != leaf.path.template:
                leaf.paths[method] = path
        allowed = {*leaf.methods, *leaf.dispatch}
        if "GET" in allowed:
            allowed.add("HEAD")
        leaf.allow = ", ".join(sorted(allowed))
        leaf.served = frozenset(allowed)
        self.size += 1
        return None

    @staticmethod
    def _child(node: Node[T], segment: Segment) -> Node[T]:
        if not segment.names:
            return node.literals.setdefault(segment.text, Node())
        for existing, child in node.dynamic:
            if existing.shape == segment.shape:
                return child
        child = Node[T]()
        node.dynamic.append((segment, child))
        node.dynamic.sort(key=lambda entry: entry[0].order)
        node.only = node.dynamic[0] if len(node.dynamic) == 1 else None
        return child

    def match(self, method: str, raw_path: str) -> MatchResult[T]:
        """Match a raw (percent-encoded) request path such as ``/a/b%20c``."""
        parts = split_raw(raw_path)
        if isinstance(parts, NonCanonical):
            return _refused(parts)
        return self.match_segments(method, parts)

    def find(self, parts: list[str]) -> tuple[Leaf[T], list[tuple[str, ...]]] | None:
        """The most specific leaf that decoded segments reach, whatever the
        method, and the values captured on the way (one tuple per templated
        segment); ``None``: no such path."""
        captures: list[tuple[str, ...]] = []
        leaf = _walk(self.root, parts, 0, captures, None)
        return None if leaf is None else (leaf, captures)

    def leaves_for(self, parts: list[str]) -> list[Leaf[T]]:
        """Every leaf that decoded segments reach, most specific first: the
        method decides among them (see the module docstring)."""
        return list(_leaves(self.root, parts, 0, len(parts)))

    def allowed_for(self, parts: list[str]) -> str:
        """The ``Allow`` value of a path: the methods of every template that
        matches it (``""``: no such path)."""
        return allow_value(self.leaves_for(parts))

    def match_segments(self, method: str, parts: list[str]) -> MatchResult[T]:
        """Match decoded segments (:mod:`.canonical`) against the trie."""
        captures: list[tuple[str, ...]] = []
        leaf = _walk(self.root, parts, 0, captures, method)
        if leaf is None:
            return self._unmatched(parts)
        route = leaf.methods.get(method)
        if route is None and method == "HEAD" and "HEAD" not in leaf.dispatch:
            method = "GET"
            route = leaf.methods.get(method)
        if route is not None:
            return MatchResult(Status.FULL, route, leaf, captures, leaf.path_for(method))
        dispatch = leaf.dispatch.get(method)
        if dispatch is None:
            return MatchResult(Status.PARTIAL, leaf=leaf)
        result: MatchResult[T] = MatchResult(Status.SELECT, leaf=leaf, captures=captures)
        result.dispatch = dispatch
        return result

    def _unmatched(self, parts: list[str]) -> MatchResult[T]:
        """No template of the path declares the method: 405 (with the
        methods of them all), or 404 when no template matches at all."""
        captures: list[tuple[str, ...]] = []
        leaf = _walk(self.root, parts, 0, captures, None)
        if leaf is None:
            return self._none
        result: MatchResult[T] = MatchResult(Status.PARTIAL, leaf=leaf)
        result.allow = self.allowed_for(parts)
        return result

    def leaves(self) -> Iterator[Leaf[T]]:
        """Every template shape in the trie, depth first."""
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.leaf is not None:
                yield node.leaf
            stack.extend(node.literals.values())
            stack.extend(child for _, child in node.dynamic)


def _refused(refusal: NonCanonical) -> MatchResult[T]:
    result: MatchResult[T] = MatchResult(Status.NON_CANONICAL)
    result.refusal = refusal
    return result


def _walk(
    node: Node[T], parts: list[str], index: int, captures: list[tuple[str, ...]], method: str | None
) -> Leaf[T] | None:
    """The first leaf in precedence order that ``parts`` reach and that serves
    ``method`` (any leaf when ``method`` is None); captures appended."""
    if index == len(parts):
        leaf = node.leaf
        return leaf if leaf is None or method is None or method in leaf.served else None
    part = parts[index]
    child = node.literals.get(part)
    if child is not None:
        found = _walk(child, parts, index + 1, captures, method)
        if found is not None:
            return found
    only = node.only
    if only is not None:
        segment, only_child = only
        value = (part,) if segment.plain else segment.capture(part)
        if value is None or not part:
            return None
        captures.append(value)
        found = _walk(only_child, parts, index + 1, captures, method)
        if found is None:
            captures.pop()
        return found
    for segment, dynamic_child in node.dynamic:
        value = segment.capture(part)
        if value is None:
            continue
        captures.append(value)
        found = _walk(dynamic_child, parts, index + 1, captures, method)
        if found is not None:
            return found
        captures.pop()
    return None


def _leaves(node: Node[T], parts: list[str], index: int, end: int) -> Iterator[Leaf[T]]:
    """Every leaf that ``parts`` reach, in the order :func:`_walk` tries them."""
    if index == end:
        if node.leaf is not None:
            yield node.leaf
        return
    part = parts[index]
    child = node.literals.get(part)
    if child is not None:
        yield from _leaves(child, parts, index + 1, end)
    for segment, dynamic_child in node.dynamic:
        if segment.capture(part) is None or (node.only is not None and not part):
            continue
        yield from _leaves(dynamic_child, parts, index + 1, end)
