"""Compose every service's spec into one OpenAPI 3.1 document.

Steps, each deterministic (services sorted by name, paths by template,
components by name): convert 3.0 inputs to 3.1
(:func:`codegen.core.jsonschema.from_spec.document_31`); merge components
(:mod:`gateway.compose.components`); merge paths and detect routing conflicts
(:mod:`gateway.compose.operations`); check that every security requirement
names a scheme the gateway can enforce; check that no spec path shadows a
path the gateway serves itself; declare the statuses the gateway answers
itself (:mod:`gateway.compose.edge`).

Example: ``compose([from_dict("a", doc_a), from_dict("b", doc_b)])`` →
``Composition(document={"openapi": "3.1.0", "paths": {...}, ...}, entries=[...],
diagnostics=[...])``; ``document`` is ``None`` when any diagnostic is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from codegen.core.diagnostics import Diagnostic, Severity, has_errors
from codegen.core.jsonschema.from_spec import document_31
from codegen.core.routing.matcher import Matcher
from gateway.compose.components import merge_components
from gateway.compose.edge import declare_edge_responses
from gateway.compose.operations import OperationEntry, merge_paths
from gateway.compose.source import SourceSpec, diagnostic

RESERVED_PATHS = ("/openapi.json", "/docs", "/redoc", "/healthz", "/readyz", "/metrics")
RESERVED_PREFIX = "/_specfirst/"
STATIC_ASSETS = (
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "redoc.standalone.js",
    "favicon-32x32.png",
)


@dataclass
class Composition:
    document: dict[str, Any] | None
    entries: list[OperationEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: list[SourceSpec] = field(default_factory=list)
    matcher: Matcher[OperationEntry] | None = None


def compose(
    sources: Iterable[SourceSpec],
    title: str = "specfirst gateway",
    version: str = "1.0.0",
    *,
    rate_limited: bool = False,
) -> Composition:
    """Merge ``sources`` (any order) into one document plus routing entries;
    ``rate_limited``: the gateway's rate limit is on, so every operation may be a 429."""
    ordered = sorted(sources, key=lambda s: (s.name, s.display))
    converted = [(source, document_31(source.document)) for source in ordered]
    components = merge_components(converted)
    paths = merge_paths([(s, doc, components.renames[s.name]) for s, doc in converted])
    diagnostics = [*components.diagnostics, *paths.diagnostics]
    schemes = components.components.get("securitySchemes", {})
    diagnostics.extend(_check_security(paths.entries, schemes))
    diagnostics.extend(_check_reserved(paths.matcher))
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Merged by specfirst from: "
            + ", ".join(source.display for source in ordered),
        },
        "servers": [{"url": "/"}],
    }
    tags = _tags(doc for _, doc in converted)
    if tags:
        document["tags"] = tags
    document["paths"] = declare_edge_responses(paths.paths, components.components, rate_limited)
    if components.components:
        document["components"] = components.components
    return Composition(
        document=None if has_errors(diagnostics) else document,
        entries=paths.entries,
        diagnostics=diagnostics,
        sources=ordered,
        matcher=paths.matcher,
    )


def _tags(documents: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for document in documents:
        for tag in document.get("tags") or []:
            if isinstance(tag, dict) and isinstance(tag.get("name"), str):
                seen.setdefault(tag["name"], tag)
    return list(seen.values())


SUPPORTED = "apiKey (header, query, cookie), http bearer, oauth2 and openIdConnect (as JWT)"


def scheme_supported(scheme: dict[str, Any]) -> bool:
    """Whether the gateway can verify credentials of this security scheme."""
    kind = scheme.get("type")
    if kind == "apiKey":
        return scheme.get("in") in ("header", "query", "cookie")
    if kind == "http":
        return str(scheme.get("scheme", "")).lower() == "bearer"
    return kind in ("oauth2", "openIdConnect")


def _check_security(entries: Sequence[OperationEntry], schemes: dict[str, Any]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    warned: set[str] = set()
    for entry in entries:
        for index, requirement in enumerate(entry.security):
            for name in requirement:
                pointer = f"{entry.pointer}/security/{index}"
                scheme = schemes.get(name)
                if not isinstance(scheme, dict):
                    found.append(
                        diagnostic(
                            "SF509",
                            entry.source,
                            pointer,
                            f"{entry.method} {entry.template} requires the security scheme "
                            f"{name!r}, which no spec defines in components/securitySchemes",
                        )
                    )
                elif not scheme_supported(scheme) and name not in warned:
                    warned.add(name)
                    found.append(
                        diagnostic(
                            "SF510",
                            entry.source,
                            pointer,
                            f"the gateway cannot verify security scheme {name!r} "
                            f"({scheme.get('type')}); requirements using it are always refused",
                            hint=f"supported: {SUPPORTED}",
                            severity=Severity.WARNING,
                        )
                    )
    return found


def _check_reserved(matcher: Matcher[OperationEntry]) -> list[Diagnostic]:
    """A literal spec path equal to one the gateway serves is an error; a
    template that would also match one is a warning (that one value is shadowed)."""
    found: list[Diagnostic] = []
    assets = [RESERVED_PREFIX + "static/" + name for name in STATIC_ASSETS]
    for path in (*RESERVED_PATHS, *assets):
        result = matcher.match("GET", path)
        if result.leaf is None:
            continue
        entry = next(result.leaf.routes())[1]
        literal = not result.leaf.path.params
        found.append(
            diagnostic(
                "SF511",
                entry.source,
                entry.pointer,
                f"{entry.template} would match {path}, which the gateway serves itself"
                + ("" if literal else "; that path never reaches the service"),
                hint="rename the path or mount the service under a prefix",
                severity=Severity.ERROR if literal else Severity.WARNING,
            )
        )
    return found
