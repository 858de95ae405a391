"""URL resolution of generated services, through THE route compiler.

The generated ``ROUTES`` (one :class:`Route` per path template, in
declaration order) are compiled by :mod:`codegen.core.routing`, the code the
gateway routes with, into one :class:`RouteResolver`: Django asks it which
view serves a path, and it asks the shared :class:`~codegen.core.routing.matcher.Matcher`.
So ``POST /v1/{name}:approve`` beats ``/v1/{name}``, an enum in the first
segment routes, and a request reaches the same operation here as through the
gateway. Precedence, partial segments, trailing slashes, typed parameters and
``#...``/``?...`` path-key suffixes (chosen by query or header,
:mod:`codegen.core.routing.select`) all come from there.

The resolver also holds one ``re_path`` per template, its regex made by the
same compiler (:func:`codegen.core.routing.regex.path_regex`): drf-spectacular
derives the service's schema from them, and ``reverse()`` builds URLs with them.

One URL pattern serves one path: the methods it declares map to the
operations' dispatchers, and any other method answers 405 problem+json with
``Allow``. :func:`build_urlpatterns` binds the generated routes to the
hand-written ViewSets::

    # <app>/api/urls.py
    from . import views
    from ._generated.urls import build_urlpatterns

    urlpatterns = build_urlpatterns(views)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.urls.exceptions import Resolver404
from django.urls.resolvers import ResolverMatch, RoutePattern
from django.views.decorators.csrf import csrf_exempt

from codegen.core.routing.kinds import ParamKind
from codegen.core.routing.matcher import Leaf, Matcher, Status, unreachable_detail
from codegen.core.routing.regex import path_regex
from codegen.core.routing.select import Condition, Selector
from codegen.core.routing.templates import CompiledPath, compile_path
from servicekit import problems
from servicekit.contract.canonical import segments_for
from servicekit.contract.views import ContractViewSet

View = Callable[..., Any]
# kwargs DRF reads itself (api_settings.FORMAT_SUFFIX_KWARG)
_RESERVED_KWARGS = frozenset({"format"})
Target = tuple[View, tuple[str, ...]]  # a view and the kwarg name of each captured value


@dataclass(frozen=True, slots=True)
class Op:
    """One operation of a path: its method, the stub class (group) holding
    it, its handler's python name, and the conditions that select it when
    the path key had a suffix (``("query", "tagKeys", None)``)."""

    method: str
    group: str
    python_name: str
    selector: tuple[tuple[str, str, str | None], ...] = ()

    def conditions(self) -> Selector:
        return tuple(Condition(*condition) for condition in self.selector)


@dataclass(frozen=True, slots=True)
class Route:
    """One path template of the spec (path-key suffix removed) and its operations.

    ``params``: path parameter name -> (python_name, kind, enum texts), where
    kind is a :class:`~codegen.core.routing.kinds.ParamKind` kind."""

    path: str
    operations: tuple[Op, ...]
    params: Mapping[str, tuple[str, str, tuple[str, ...]]]

    def compiled(self) -> CompiledPath:
        kinds = {
            name: ParamKind(kind, frozenset(values))
            for name, (_, kind, values) in self.params.items()
        }
        return compile_path(self.path, kinds)

    def group_name(self, name: str) -> str:
        """The kwarg (and regex group) of a path parameter: its spec name when
        that is an identifier (so derived schemas keep ``{orderId}``), else its
        python name. ``format`` is DRF's format-suffix kwarg (a value naming
        no renderer answers 404), so ``{format}`` travels as ``format_``."""
        usable = name.isidentifier() and name not in _RESERVED_KWARGS
        if usable or name not in self.params:
            return name
        return self.params[name][0]


def dispatcher_name(python_name: str) -> str:
    """The decorated method that runs operation ``python_name``: ``op_<name>``."""
    return f"op_{python_name}"


def _path_viewset(
    route: Route, viewsets: Mapping[str, type[ContractViewSet]]
) -> type[ContractViewSet]:
    """The class serving one path. Operations of one path may belong to several
    groups (tags); then a class combining those groups' ViewSets serves it."""
    classes = list(dict.fromkeys(viewsets[op.group] for op in route.operations))
    if len(classes) == 1:
        return classes[0]
    merged: dict[str, Any] = {}
    for cls in classes:
        merged.update(cls.operations)
    name = "".join(cls.__name__ for cls in classes)
    namespace = {
        "operations": merged,
        "combines": tuple(classes),
        "__module__": classes[0].__module__,
    }
    return type(name, tuple(classes), namespace)


def _view(viewset: type[ContractViewSet], ops: Sequence[Op]) -> View:
    """A view running the first of ``ops`` declared for each method."""
    actions: dict[str, Any] = {}
    for op in ops:
        actions.setdefault(op.method, dispatcher_name(op.python_name))
    allowed = [*actions, *(["head"] if "get" in actions and "head" not in actions else [])]
    return viewset.as_view(actions, http_method_names=allowed)


def _viewsets(
    views: ModuleType | Mapping[str, Any], groups: Sequence[str], stubs: ModuleType
) -> dict[str, type[ContractViewSet]]:
    """Stub class name -> the hand-written subclass of it (or the stub itself)."""
    found: dict[str, type[ContractViewSet]] = {}
    namespace = vars(views) if isinstance(views, ModuleType) else dict(views)
    for group in groups:
        base = getattr(stubs, group)
        subclasses = [
            value
            for value in namespace.values()
            if isinstance(value, type) and issubclass(value, base) and value is not base
        ]
        found[group] = subclasses[-1] if subclasses else base
    return found


class RouteResolver(URLResolver):
    """Resolves a generated package's paths with the shared matcher.

    ``url_patterns`` are the ``re_path``s (one per route) that drf-spectacular,
    ``reverse()`` and Django's checks read; :meth:`resolve` does not try them
    one by one but asks the matcher, so precedence is the gateway's."""

    def __init__(self, routes: Sequence[Route], viewsets: Mapping[str, type[ContractViewSet]]):
        self.matcher: Matcher[Target] = Matcher()
        patterns = [self._add(route, _path_viewset(route, viewsets)) for route in routes]
        super().__init__(RoutePattern(""), patterns)
        self._direct: dict[int, Target] = {}
        # every method some template declares: a leaf serving them all is never overlapped
        self._methods = frozenset(m for leaf in self.matcher.leaves() for m in leaf.served)
        for leaf in self.matcher.leaves():
            targets = {target for _, target, _, _ in leaf.routes()}
            if len(targets) == 1 and not leaf.dispatch:
                self._direct[id(leaf)] = targets.pop()

    def _add(self, route: Route, viewset: type[ContractViewSet]) -> URLPattern:
        """Add ``route``'s operations to the matcher; its ``re_path``."""
        compiled = route.compiled()
        view = _view(viewset, route.operations)
        names = tuple(route.group_name(name) for name in compiled.params)
        # operations without a selector share one view of exactly those
        # operations: a selected operation of the same path must never be
        # its fallback (``/a#sel1`` and ``/a`` merged into one route)
        unselected = [op for op in route.operations if not op.selector]
        plain = (_view(viewset, unselected), names) if unselected else None
        for op in route.operations:
            own = plain if plain is not None and not op.selector else None
            target = own or (_view(viewset, [op]), names)
            shadowed = self.matcher.add(compiled, op.method, target, op.conditions())
            if shadowed is not None:
                existing = shadowed.existing_path.template
                detail = unreachable_detail(op.method.upper(), route.path, existing)
                raise ImproperlyConfigured(f"{detail}; regenerate with 'specfirst generate'")
        regex = path_regex(compiled, group=route.group_name, leading_slash=False)
        return re_path(regex, view)

    def resolve(self, path: str) -> ResolverMatch:
        found = self.pattern.match(str(path))
        parts = segments_for(found[0]) if found else None
        if isinstance(parts, list):
            located = self.matcher.find(parts)
            if located is not None:
                leaf, captures = located
                values = [value for group in captures for value in group]
                direct = self._direct.get(id(leaf))
                if direct is not None and not self._overlapped(leaf, parts):
                    view, names = direct
                    kwargs = dict(zip(names, values, strict=True))
                    return _resolved(view, kwargs, leaf)
                return _resolved(
                    csrf_exempt(functools.partial(self._switch, leaf, parts)), {}, leaf
                )
        raise Resolver404({"path": path, "tried": []})

    def _overlapped(self, leaf: Leaf[Target], parts: list[str]) -> bool:
        """Whether a less specific template also matches ``parts`` with a
        method ``leaf`` lacks: then the method picks the template."""
        if leaf.served >= self._methods:
            return False
        return any(not leaf.served >= other.served for other in self.matcher.leaves_for(parts))

    def _switch(self, leaf: Leaf[Target], parts: list[str], request: HttpRequest) -> HttpResponse:
        """The view of a path whose method picks the template (same-shape
        templates, or templates of which only some declare the method) or
        whose query/headers pick the operation (key suffixes)."""
        result = self.matcher.match_segments(request.method or "GET", parts)
        if result.status is Status.SELECT:
            result = result.select(request.GET.getlist, request.headers.get)
        if result.status is Status.FULL and result.route is not None:
            view, names = result.route
            values = [value for group in result.captures or () for value in group]
            response: HttpResponse = view(request, **dict(zip(names, values, strict=True)))
            return response
        template = result.template or leaf.path.template
        if result.unselected is not None:
            return problems.ProblemResponse(
                400,
                result.unselected.detail(request.method or "GET", template),
                code="operation_not_selected",
                missing=result.unselected.names(),
            )
        return problems.ProblemResponse(
            405,
            f"{request.method} is not allowed on {template}; allowed: {result.allowed}",
            headers={"Allow": result.allowed},
        )


def _resolved(view: View, kwargs: dict[str, str], leaf: Leaf[Target]) -> ResolverMatch:
    route = leaf.path.template.removeprefix("/")
    return ResolverMatch(
        view, (), kwargs, route=route, tried=[], captured_kwargs=kwargs, extra_kwargs={}
    )


def build_urlpatterns(
    routes: Sequence[Route],
    stubs: ModuleType,
    views: ModuleType | Mapping[str, Any] | None = None,
    *,
    catch_all: bool = False,
) -> list[URLPattern | URLResolver]:
    """URL patterns for every route of a generated package.

    ``routes`` and ``stubs`` come from the generated package (its ``urls``
    module calls this with them); ``views`` holds the hand-written subclasses of the stubs (a
    module or a mapping; ``None`` serves the stubs: every operation answers
    501). ``catch_all`` appends a pattern answering 404 problem+json for
    every other path (use it when this API owns the whole URL space).
    """
    groups = sorted({op.group for route in routes for op in route.operations})
    patterns: list[URLPattern | URLResolver] = [
        RouteResolver(routes, _viewsets(views or {}, groups, stubs))
    ]
    if catch_all:
        patterns.append(re_path(r"", problems.not_found))
    return patterns
