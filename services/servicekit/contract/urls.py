"""URL patterns from OpenAPI path templates, exactly as the spec writes them.

``/pets/{petId}/toys/`` becomes ``re_path(r"^pets/(?P<petId>-?[0-9]+)/toys/$")``
when ``petId`` is an integer: each path parameter's schema picks a converter
regex (:data:`CONVERTERS`); anything finer (a ``pattern``, bounds) is
validated by the parameter's field and answers 400. Trailing slashes are kept
as written. Static paths are tried before templated ones, so ``/pets/mine``
beats ``/pets/{id}``.

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

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.urls import URLPattern, re_path

from servicekit import problems
from servicekit.contract.views import ContractViewSet

# parameter kind -> regex for one path segment (or part of one)
CONVERTERS: Mapping[str, str] = {
    "integer": r"-?[0-9]+",
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "string": r"[^/]+",
}

_TEMPLATE_PART = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class Route:
    """One path template of the spec and the operations it serves.

    ``methods``: http method -> (stub class name, handler python_name);
    ``params``: path parameter name -> (python_name, kind, enum values),
    where kind is ``integer``, ``uuid`` or ``string``.
    """

    path: str
    methods: Mapping[str, tuple[str, str]]
    params: Mapping[str, tuple[str, str, tuple[str, ...]]]


def converter(kind: str, enum: Sequence[str] = ()) -> str:
    """The regex for a path parameter: ``converter("integer")`` -> ``"-?[0-9]+"``;
    ``converter("string", ["a", "b.c"])`` -> ``"a|b\\.c"``."""
    if enum:
        return "|".join(re.escape(value) for value in enum)
    return CONVERTERS.get(kind, CONVERTERS["string"])


def path_group(name: str, python_name: str) -> str:
    """The regex group of a path parameter: its spec name when that is an
    identifier (so derived schemas keep ``{orderId}``), else its python name."""
    return name if name.isidentifier() else python_name


def _literal(text: str) -> str:
    """``re.escape`` minus the needless ``\\-`` (a hyphen is literal outside ``[]``),
    so that drf-spectacular shows ``/stock-items``, not ``/stock\\-items``."""
    return re.escape(text).replace("\\-", "-")


def compile_route(route: Route) -> str:
    """``/pets/{petId}`` -> ``^pets/(?P<petId>-?[0-9]+)$``."""
    out: list[str] = ["^"]
    position = 0
    template = route.path.removeprefix("/")
    for match in _TEMPLATE_PART.finditer(template):
        out.append(_literal(template[position : match.start()]))
        declared = route.params.get(match.group(1))
        if declared is None:
            out.append(f"(?:{CONVERTERS['string']})")
        else:
            python_name, kind, enum = declared
            group = path_group(match.group(1), python_name)
            out.append(f"(?P<{group}>{converter(kind, enum)})")
        position = match.end()
    out.append(_literal(template[position:]))
    out.append("$")
    return "".join(out)


def route_weight(path: str) -> tuple[Any, ...]:
    """Static segments sort before templated ones, then by the text itself."""
    segments = path.strip("/").split("/")
    return (tuple(1 if "{" in segment else 0 for segment in segments), path)


def dispatcher_name(python_name: str) -> str:
    """The decorated method that runs operation ``python_name``: ``op_<name>``."""
    return f"op_{python_name}"


def _path_viewset(
    route: Route, viewsets: Mapping[str, type[ContractViewSet]]
) -> type[ContractViewSet]:
    """The class serving one path. Operations of one path may belong to several
    groups (tags); then a class combining those groups' ViewSets serves it."""
    classes = list(dict.fromkeys(viewsets[group] for group, _ in route.methods.values()))
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


def _view(route: Route, viewset: type[ContractViewSet]) -> Callable[..., Any]:
    actions: dict[str, Any] = {
        method: dispatcher_name(name) for method, (_, name) in route.methods.items()
    }
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


def build_urlpatterns(
    routes: Sequence[Route],
    stubs: ModuleType,
    views: ModuleType | Mapping[str, Any] | None = None,
    *,
    catch_all: bool = False,
) -> list[URLPattern]:
    """URL patterns for every route of a generated package.

    ``routes`` and ``stubs`` come from the generated package (its ``urls``
    module calls this with them); ``views`` holds the hand-written subclasses of the stubs (a
    module or a mapping; ``None`` serves the stubs: every operation answers
    501). ``catch_all`` appends a pattern answering 404 problem+json for
    every other path (use it when this API owns the whole URL space).
    """
    groups = sorted({group for r in routes for group, _ in r.methods.values()})
    viewsets = _viewsets(views or {}, groups, stubs)
    patterns = []
    for route in sorted(routes, key=lambda r: route_weight(r.path)):
        viewset = _path_viewset(route, viewsets)
        patterns.append(re_path(compile_route(route), _view(route, viewset)))
    if catch_all:
        patterns.append(re_path(r"", problems.not_found))
    return patterns
