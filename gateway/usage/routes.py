"""What the recorder needs to know about one route, worked out once per
routing table: its usage key and the parameter names and body schemas its
operation declares (only declared names are recorded; see docs/usage.md).

Example: ``GET /products`` of ``catalog`` declaring query ``sort`` and header
``X-Tenant`` → ``RouteUsage(key="catalog GET /products", query={"sort"},
headers={b"x-tenant": "x-tenant"}, media={}, ...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.core.spec.pointer import split
from codegen.core.usage.body import Resolve
from codegen.core.usage.snapshot import OperationKey
from gateway.table import Route

BODY_HEADERS = frozenset({b"content-type", b"content-length", b"transfer-encoding"})


@dataclass(frozen=True, eq=False)  # one per route: compared (and hashed) by identity
class RouteUsage:
    key: str
    query: frozenset[str]
    headers: Mapping[bytes, str]  # lower-cased raw name → recorded name
    media: Mapping[str, Any] = field(default_factory=dict)  # declared media type → schema
    watched: frozenset[bytes] = BODY_HEADERS  # the request headers the recorder reads


def route_usage(route: Route, document: Mapping[str, Any], resolve: Resolve) -> RouteUsage:
    """The declared names of ``route``'s operation in the merged ``document``."""
    spec_path = split(route.pointer)[1]
    key = OperationKey(route.service, route.method, spec_path).encode()
    item = resolve((document.get("paths") or {}).get(route.key))
    operation = resolve(item.get(route.method.lower())) if isinstance(item, Mapping) else None
    if not isinstance(operation, Mapping):
        return RouteUsage(key, frozenset(), {})
    query: set[str] = set()
    headers: dict[bytes, str] = {}
    for raw in operation.get("parameters") or ():
        param = resolve(raw)
        if not isinstance(param, Mapping) or not isinstance(param.get("name"), str):
            continue
        if param.get("in") == "query":
            query.add(param["name"])
        elif param.get("in") == "header":
            name = param["name"].lower()
            headers[name.encode("latin-1", "replace")] = name
    body = resolve(operation.get("requestBody"))
    content = body.get("content") if isinstance(body, Mapping) else None
    media: dict[str, Any] = {}
    if isinstance(content, Mapping):
        for name, entry in content.items():
            schema = entry.get("schema") if isinstance(entry, Mapping) else None
            media[media_type(str(name))] = schema
    return RouteUsage(key, frozenset(query), headers, media, BODY_HEADERS | set(headers))


def media_type(value: str) -> str:
    """``"Application/JSON; charset=utf-8"`` → ``"application/json"``."""
    return value.split(";", 1)[0].strip().lower()
