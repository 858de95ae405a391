"""Merge the ``paths`` of several services and find routing conflicts.

Each operation becomes an :class:`OperationEntry` (what the routing table
needs) and a self-contained operation in the merged ``paths``: path-level
``parameters`` are pushed into each operation (two services may share one
path item), the document's global ``security`` is copied into operations
that do not set their own, and ``x-specfirst-service`` names the owner.

Routes are compiled by :mod:`codegen.core.routing`, the route compiler the
generated services use too: a path key's ``#...``/``?...`` suffix is routed on
the template before it, and selects among operations sharing method and path
by the query or header parameters it names.

Conflicts, each citing both spec files and JSON pointers:
SF501 same method and path in two specs; SF502 templates that match the same
paths (they differ only in parameter names, or overlapping enums or partial
segments give them equal precedence on some path); SF503 duplicate operationId;
SF506 a template that does not compile; SF508 a bad ``x-specfirst-timeout``;
SF512 (warning) an operation that an earlier one *of the same spec* shadows:
the first declared wins, as in the generated service.

Example: ``a`` declares ``GET /items/{id}``, ``b`` declares ``GET /items/{sku}``
→ SF502 "GET /items/{sku} ... matches the same paths as /items/{id} ...".
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from codegen.core.diagnostics import Diagnostic, Severity
from codegen.core.openapi import HTTP_METHODS
from codegen.core.routing.keys import split_key
from codegen.core.routing.kinds import ParamKind, schema_kind
from codegen.core.routing.matcher import Matcher, unreachable_detail
from codegen.core.routing.select import Selector, selector_for
from codegen.core.routing.templates import CompiledPath, TemplateError, compile_path
from codegen.core.spec.pointer import join, lookup, split
from gateway.compose.ambiguity import overlapping
from gateway.compose.refs import Renames, rewrite_refs
from gateway.compose.source import SourceSpec, diagnostic

TIMEOUT_EXTENSION = "x-specfirst-timeout"
_DURATION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s)?\s*$")


@dataclass(frozen=True)
class OperationEntry:
    """One routable operation, with where it came from."""

    source: SourceSpec
    method: str  # upper case
    template: str  # public template, prefix included, without the key's suffix
    upstream_template: str  # as the service declares it, without the key's suffix
    operation_id: str | None
    security: tuple[dict[str, tuple[str, ...]], ...]
    timeout: float | None
    compiled: CompiledPath
    pointer: str
    operation: dict[str, Any] = field(repr=False, hash=False, compare=False)
    key: str = ""  # public path key as declared (suffix included); "" means ``template``
    selector: Selector = ()

    @property
    def path_key(self) -> str:
        """The public path key, suffix included (the merged document's key)."""
        return self.key or self.template


@dataclass
class PathMerge:
    paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    entries: list[OperationEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    matcher: Matcher[OperationEntry] = field(default_factory=Matcher)
    shapes: dict[tuple[tuple[str, ...], ...], OperationEntry] = field(default_factory=dict)


def resolve_local(document: dict[str, Any], value: Any) -> Any:
    """Follow local ``$ref``s (``#/...``) until a non-reference value."""
    seen: set[str] = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ref = value["$ref"]
        if not ref.startswith("#") or ref in seen:
            return value
        seen.add(ref)
        try:
            value = lookup(document, split(ref[1:]))
        except (KeyError, IndexError, ValueError):
            return value
    return value


def parse_timeout(value: Any) -> float | None:
    """``2.5`` → 2.5; ``"500ms"`` → 0.5; ``"3s"`` → 3.0; anything else → None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if value > 0 else None
    if isinstance(value, str):
        found = _DURATION.match(value)
        if found:
            number = float(found.group(1))
            number = number / 1000 if found.group(2) == "ms" else number
            return number if number > 0 else None
    return None


def merge_paths(sources: Sequence[tuple[SourceSpec, dict[str, Any], Renames]]) -> PathMerge:
    """Merge the paths of (source, converted document, renames) triples."""
    result = PathMerge()
    seen_ids: dict[str, OperationEntry] = {}
    for source, document, renames in sources:
        for template, raw_item in (document.get("paths") or {}).items():
            item = resolve_local(document, raw_item)
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                pointer = join(["paths", template, method])
                entry = _entry(
                    source=source, document=document, template=template, item=item,
                    method=method, operation=operation, pointer=pointer, result=result,
                )  # fmt: skip
                if entry is None:
                    continue
                if not _register(entry, result, seen_ids):
                    continue
                merged_op = rewrite_refs(_self_contained(document, item, operation), renames)
                merged_op["x-specfirst-service"] = source.name
                result.paths.setdefault(entry.path_key, {})[method] = merged_op
                result.entries.append(entry)
    result.paths = dict(sorted(result.paths.items()))
    result.diagnostics.extend(_overlaps(result.entries))
    return result


def _overlaps(entries: list[OperationEntry]) -> list[Diagnostic]:
    """SF502 for templates that match some paths with equal precedence."""
    first: dict[str, OperationEntry] = {}
    for entry in entries:
        first.setdefault(entry.template, entry)
    found = []
    for a, b in overlapping(entry.compiled for entry in first.values()):
        earlier, later = first[a.template], first[b.template]
        found.append(
            diagnostic(
                "SF502",
                later.source,
                later.pointer,
                f"{later.template} in {later.source.cite(later.pointer)} and {earlier.template} "
                f"in {earlier.source.cite(earlier.pointer)} both match some paths with equal "
                "precedence (overlapping enum values or partial segments)",
                hint="make the enums disjoint or the literal parts distinct",
            )
        )
    return found


def _entry(
    *,
    source: SourceSpec,
    document: dict[str, Any],
    template: str,
    item: dict[str, Any],
    method: str,
    operation: dict[str, Any],
    pointer: str,
    result: PathMerge,
) -> OperationEntry | None:
    key = split_key(source.service.prefix + template)
    params = _parameters(document, item, operation)
    kinds: dict[str, ParamKind] = {
        p["name"]: schema_kind(
            p.get("schema"),
            style=str(p.get("style", "simple")),
            resolve=lambda schema: resolve_local(document, schema),
        )
        for p in params
        if isinstance(p.get("name"), str) and key.location_of(p["name"], str(p.get("in"))) == "path"
    }
    required = [
        (key.location_of(p["name"], str(p.get("in"))), p["name"])
        for p in params
        if p.get("required") is True and isinstance(p.get("name"), str)
    ]
    try:
        compiled = compile_path(key.template, kinds)
    except TemplateError as exc:
        result.diagnostics.append(diagnostic("SF506", source, join(["paths", template]), str(exc)))
        return None
    timeout = None
    for owner, where in ((operation, pointer), (item, join(["paths", template]))):
        if TIMEOUT_EXTENSION in owner:
            timeout = parse_timeout(owner[TIMEOUT_EXTENSION])
            if timeout is None:
                result.diagnostics.append(_bad_timeout(source, where, owner[TIMEOUT_EXTENSION]))
            break
    security = operation.get("security", document.get("security", []))
    return OperationEntry(
        source=source,
        method=method.upper(),
        template=key.template,
        upstream_template=split_key(template).template,
        operation_id=operation.get("operationId"),
        security=_requirements(security),
        timeout=timeout,
        compiled=compiled,
        pointer=pointer,
        operation=operation,
        key=key.key if key.key != key.template else "",
        selector=selector_for(key.suffix, required),
    )


def _bad_timeout(source: SourceSpec, pointer: str, value: Any) -> Diagnostic:
    return diagnostic(
        "SF508",
        source,
        join([*split(pointer), TIMEOUT_EXTENSION]),
        f"{TIMEOUT_EXTENSION} must be a positive number of seconds or a string like "
        f"'500ms' or '2s', got {value!r}",
    )


def _requirements(security: Any) -> tuple[dict[str, tuple[str, ...]], ...]:
    if not isinstance(security, list):
        return ()
    return tuple(
        {str(name): tuple(str(s) for s in scopes or ()) for name, scopes in req.items()}
        for req in security
        if isinstance(req, dict)
    )


def _parameters(
    document: dict[str, Any], item: dict[str, Any], operation: dict[str, Any]
) -> list[dict[str, Any]]:
    """Operation parameters plus the path item's ones it does not override
    (same ``name`` and ``in``), all resolved."""
    own = [resolve_local(document, p) for p in operation.get("parameters") or []]
    keys = {(p.get("name"), p.get("in")) for p in own if isinstance(p, dict)}
    inherited = [
        resolve_local(document, p)
        for p in item.get("parameters") or []
        if isinstance(resolve_local(document, p), dict)
    ]
    inherited = [p for p in inherited if (p.get("name"), p.get("in")) not in keys]
    return [p for p in inherited + own if isinstance(p, dict)]


def _self_contained(
    document: dict[str, Any], item: dict[str, Any], operation: dict[str, Any]
) -> dict[str, Any]:
    merged = copy.deepcopy(operation)
    merged.pop("servers", None)
    own = merged.get("parameters") or []
    keys = {_param_key(document, p) for p in own}
    inherited = [p for p in item.get("parameters") or [] if _param_key(document, p) not in keys]
    if inherited or own:
        merged["parameters"] = copy.deepcopy(inherited) + own
    if "security" not in merged and "security" in document:
        merged["security"] = copy.deepcopy(document["security"])
    return merged


def _param_key(document: dict[str, Any], parameter: Any) -> tuple[Any, Any]:
    resolved = resolve_local(document, parameter)
    if not isinstance(resolved, dict):
        return (None, None)
    return (resolved.get("name"), resolved.get("in"))


def _register(
    entry: OperationEntry, result: PathMerge, seen_ids: dict[str, OperationEntry]
) -> bool:
    same_shape = result.shapes.setdefault(entry.compiled.shape, entry)
    if same_shape.source is not entry.source and same_shape.template != entry.template:
        # the trie could route them by method, but the merged document would
        # hold two templates OpenAPI calls identical
        result.diagnostics.append(_conflict(entry, same_shape))
        return False
    shadowed = result.matcher.add(entry.compiled, entry.method, entry, entry.selector)
    if shadowed is not None:
        result.diagnostics.append(_conflict(entry, shadowed.existing))
        return False
    if entry.operation_id:
        first = seen_ids.setdefault(entry.operation_id, entry)
        if first is not entry:
            result.diagnostics.append(
                diagnostic(
                    "SF503",
                    entry.source,
                    join([*split(entry.pointer), "operationId"]),
                    f"operationId {entry.operation_id!r} of {entry.method} {entry.template} "
                    f"is already used by {first.method} {first.template} in "
                    f"{first.source.cite(join([*split(first.pointer), 'operationId']))}",
                    hint="operationIds must be unique across all specs",
                )
            )
    return True


def _conflict(entry: OperationEntry, existing: OperationEntry) -> Diagnostic:
    other = existing.source.cite(existing.pointer)
    if existing.source is entry.source:
        return diagnostic(
            "SF512",
            entry.source,
            entry.pointer,
            unreachable_detail(entry.method, entry.path_key, existing.path_key),
            hint="rename the parameters alike and merge the path items, or make the "
            "key's suffix name a required query or header parameter",
            severity=Severity.WARNING,
        )
    if existing.path_key == entry.path_key:
        return diagnostic(
            "SF501",
            entry.source,
            entry.pointer,
            f"{entry.method} {entry.path_key} is declared by {other} "
            f"and by {entry.source.cite(entry.pointer)}",
            hint="each method and path must belong to exactly one service",
        )
    return diagnostic(
        "SF502",
        entry.source,
        entry.pointer,
        f"{entry.method} {entry.path_key} in {entry.source.cite(entry.pointer)} matches the "
        f"same paths as {existing.path_key} in {other}",
        hint="templates that differ only in parameter names are ambiguous; "
        "use the same parameter names or a literal segment",
    )
