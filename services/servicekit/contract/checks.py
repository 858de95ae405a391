"""Django system checks: is every spec operation implemented, and only those?

* ``specfirst.E001`` (a Warning, so a half-built service still starts and
  ``manage.py check`` passes while reporting it): an operation has no
  hand-written handler and answers 501.
* ``specfirst.E002`` (an Error): a hand-written ViewSet defines a public
  handler-shaped method (``def name(self, request, ...)``) that matches no
  operation of the spec, usually because the operation was renamed or
  removed. Helpers should be private (``_helper``) or not take ``request``.

The checks read the ViewSets the project's URLconf serves (bound by
:func:`servicekit.contract.urls.build_urlpatterns`).
"""

from __future__ import annotations

import inspect
from typing import Any

from django.core import checks
from django.core.checks import CheckMessage
from django.urls import URLPattern, URLResolver, get_resolver

from servicekit.contract.views import ContractViewSet


def _stub_base(cls: type[ContractViewSet]) -> type[ContractViewSet]:
    """The generated stub class in ``cls``'s ancestry (the one declaring operations)."""
    for klass in cls.__mro__:
        if "operations" in vars(klass):
            return klass
    return cls


def _orphans(cls: type[ContractViewSet]) -> list[str]:
    stub = _stub_base(cls)
    names: list[str] = []
    for klass in cls.__mro__:
        if klass is stub:
            break
        for name, member in vars(klass).items():
            if name.startswith("_") or name in cls.operations or not inspect.isfunction(member):
                continue
            if hasattr(stub, name):  # overrides a DRF or runtime hook, not a handler
                continue
            params = list(inspect.signature(member).parameters)
            if len(params) >= 2 and params[1] == "request":
                names.append(name)
    return sorted(set(names))


def served_viewsets(patterns: list[Any]) -> list[type[ContractViewSet]]:
    """Every ContractViewSet class reachable from ``patterns``, in URL order.

    Classes combining several groups (one path, several tags) are unpacked
    into the hand-written classes they combine.
    """
    found: list[type[ContractViewSet]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found.extend(served_viewsets(pattern.url_patterns))
        elif isinstance(pattern, URLPattern):
            cls = getattr(pattern.callback, "cls", None)
            if isinstance(cls, type) and issubclass(cls, ContractViewSet):
                found.extend(getattr(cls, "combines", (cls,)))
    return list(dict.fromkeys(found))


@checks.register("specfirst")
def check_operations(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        viewsets = served_viewsets(get_resolver().url_patterns)
    except Exception:  # broken URLconfs are reported by Django's own checks
        return []
    messages: list[CheckMessage] = []
    for cls in viewsets:
        implemented = set(cls.implemented_operations())
        for name, operation in sorted(cls.operations.items()):
            if name not in implemented:
                messages.append(
                    checks.Warning(
                        f"Operation {operation.operation_id} ({operation.method.upper()} "
                        f"{operation.path}) is not implemented; it answers 501.",
                        hint=f"Define {name}(self, request, ...) in a subclass of "
                        f"{_stub_base(cls).__name__}. Spec: {operation.source}",
                        obj=cls,
                        id="specfirst.E001",
                    )
                )
        for name in _orphans(cls):
            messages.append(
                checks.Error(
                    f"{cls.__name__}.{name} implements no operation of the spec.",
                    hint="The operation was renamed or removed: rename or delete the method "
                    "(private helpers start with '_').",
                    obj=cls,
                    id="specfirst.E002",
                )
            )
    return messages
