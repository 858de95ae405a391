"""Merge the ``components`` of several services into one.

Same-named components that are identical (after their own references are
rewritten) are shared; different ones are namespaced as ``<service>_<name>``
and every ``$ref`` of their service is rewritten (SF504, a warning naming
every file and pointer). Renaming one component can make others differ (an
``Order`` that refers to a renamed ``Item`` now refers to different things),
so renaming runs to a fixed point. Security schemes are never renamed: a
name is what a security requirement refers to, so disagreeing schemes are an
error (SF505).

Example: ``a`` and ``b`` both define ``schemas/Item``, differently →
``components.schemas`` holds ``a_Item`` and ``b_Item``, and ``a``'s
``{"$ref": "#/components/schemas/Item"}`` becomes ``.../a_Item``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from codegen.core.diagnostics import Diagnostic, Severity
from codegen.core.spec.pointer import join
from gateway.compose.refs import rewrite_refs
from gateway.compose.source import SourceSpec, diagnostic

COMPONENT_KINDS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)
_NEVER_RENAMED = frozenset({"securitySchemes"})


@dataclass
class ComponentMerge:
    """The merged components plus, per service, its renames."""

    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    renames: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def merge_components(sources: Sequence[tuple[SourceSpec, dict[str, Any]]]) -> ComponentMerge:
    """Merge components of (source, converted document) pairs, in order."""
    owners = _owners(sources)
    result = ComponentMerge(renames={source.name: {} for source, _ in sources})
    namespaced = _fixed_point(owners, result.renames)
    taken = set(owners)
    for key in sorted(namespaced):
        kind, name = key
        for source, _ in owners[key]:
            new = f"{source.name}_{name}"
            if (kind, new) in taken:
                result.diagnostics.append(_collision(source, kind, name, new))
            taken.add((kind, new))
        result.diagnostics.append(_namespaced(kind, name, owners[key]))
    for kind in COMPONENT_KINDS:
        merged: dict[str, Any] = {}
        for (owner_kind, name), defs in sorted(owners.items()):
            if owner_kind == kind:
                _place(
                    kind=kind, name=name, defs=defs, namespaced=namespaced, result=result,
                    merged=merged,
                )  # fmt: skip
        if merged:
            result.components[kind] = dict(sorted(merged.items()))
    return result


def _owners(
    sources: Sequence[tuple[SourceSpec, dict[str, Any]]],
) -> dict[tuple[str, str], list[tuple[SourceSpec, Any]]]:
    """(kind, name) → every (source, definition) that declares it."""
    owners: dict[tuple[str, str], list[tuple[SourceSpec, Any]]] = {}
    for source, document in sources:
        components = document.get("components")
        if not isinstance(components, dict):
            continue
        for kind in COMPONENT_KINDS:
            for name, value in (components.get(kind) or {}).items():
                owners.setdefault((kind, name), []).append((source, value))
    return owners


def _place(
    *,
    kind: str,
    name: str,
    defs: list[tuple[SourceSpec, Any]],
    namespaced: set[tuple[str, str]],
    result: ComponentMerge,
    merged: dict[str, Any],
) -> None:
    """Put one component (shared, or one copy per service) into ``merged``."""
    if (kind, name) in namespaced:
        for source, value in defs:
            renames = result.renames[source.name]
            merged[renames[(kind, name)]] = rewrite_refs(value, renames)
        return
    source, value = defs[0]
    merged[name] = rewrite_refs(value, result.renames[source.name])
    result.diagnostics.extend(_scheme_conflicts(kind, name, defs))


def _fixed_point(
    owners: dict[tuple[str, str], list[tuple[SourceSpec, Any]]],
    renames: dict[str, dict[tuple[str, str], str]],
) -> set[tuple[str, str]]:
    namespaced: set[tuple[str, str]] = set()
    changed = True
    while changed:
        changed = False
        for key, defs in sorted(owners.items()):
            if len(defs) < 2 or key in namespaced or key[0] in _NEVER_RENAMED:
                continue
            texts = {_canonical(rewrite_refs(value, renames[src.name])) for src, value in defs}
            if len(texts) > 1:
                namespaced.add(key)
                for source, _ in defs:
                    renames[source.name][key] = f"{source.name}_{key[1]}"
                changed = True
    return namespaced


def _pointer(kind: str, name: str) -> str:
    return join(["components", kind, name])


def _namespaced(kind: str, name: str, defs: list[tuple[SourceSpec, Any]]) -> Diagnostic:
    pointer = _pointer(kind, name)
    places = " and ".join(source.cite(pointer) for source, _ in defs)
    new_names = ", ".join(f"{source.name}_{name}" for source, _ in defs)
    return diagnostic(
        "SF504",
        defs[-1][0],
        pointer,
        f"components/{kind}/{name} differs between {places}; namespaced as {new_names}",
        hint="give the components the same definition to share one, or distinct names",
        severity=Severity.WARNING,
    )


def _collision(source: SourceSpec, kind: str, name: str, new: str) -> Diagnostic:
    return diagnostic(
        "SF507",
        source,
        _pointer(kind, name),
        f"components/{kind}/{name} must be namespaced as {new}, "
        f"but components/{kind}/{new} already exists",
        hint="rename one of the components",
    )


def _scheme_conflicts(kind: str, name: str, defs: list[tuple[SourceSpec, Any]]) -> list[Diagnostic]:
    if kind not in _NEVER_RENAMED or len(defs) < 2:
        return []
    first_source, first = defs[0]
    pointer = _pointer(kind, name)
    return [
        diagnostic(
            "SF505",
            source,
            pointer,
            f"security scheme {name!r} is defined differently in "
            f"{first_source.cite(pointer)} and {source.cite(pointer)}",
            hint="security schemes of the same name must be identical across specs",
        )
        for source, value in defs[1:]
        if _canonical(value) != _canonical(first)
    ]
