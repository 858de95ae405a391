"""The part of the gateway's merged spec that routes to some services.

``specfirst test orders`` tests orders and, through the gateway, only the operations
the gateway routes to orders: every operation of the merged document names its owner
(``x-specfirst-service``, :mod:`gateway.compose.operations`); the others are dropped,
with every response link that would lead to one of them (schemathesis' stateful phase
follows links, and a link to an absent operation is an error).

``routed_to(merged, {"orders"})`` -> the merged document with only orders' operations.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import unquote

from codegen.core.openapi import HTTP_METHODS
from codegen.core.spec.pointer import PointerError, lookup, split

SERVICE_EXTENSION = "x-specfirst-service"


def routed_to(merged: Mapping[str, Any], services: Collection[str]) -> dict[str, Any]:
    """A copy of ``merged`` with only the operations owned by ``services``."""
    document = copy.deepcopy(dict(merged))
    kept_ids: set[str] = set()
    paths: dict[str, Any] = {}
    for template, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        operations = {
            method: operation
            for method, operation in item.items()
            if method in HTTP_METHODS
            and isinstance(operation, dict)
            and operation.get(SERVICE_EXTENSION) in services
        }
        if not operations:
            continue
        kept_ids.update(str(op["operationId"]) for op in operations.values() if "operationId" in op)
        others = {key: value for key, value in item.items() if key not in HTTP_METHODS}
        paths[template] = {**others, **operations}
    document["paths"] = paths
    for item in paths.values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                _drop_links(document, operation, kept_ids)
    return document


def _drop_links(document: dict[str, Any], operation: dict[str, Any], kept: set[str]) -> None:
    """Remove the links of ``operation``'s responses whose target was dropped."""
    for response in (operation.get("responses") or {}).values():
        links = response.get("links") if isinstance(response, dict) else None
        if not isinstance(links, dict):
            continue
        for name in [n for n, link in links.items() if not _leads_in(document, link, kept)]:
            del links[name]


def _leads_in(document: dict[str, Any], link: Any, kept: set[str]) -> bool:
    """Whether ``link`` names a kept operation (by id, or by a local ``operationRef``)."""
    if not isinstance(link, dict):
        return False
    if "operationId" in link:
        return link["operationId"] in kept
    ref = link.get("operationRef")
    if not isinstance(ref, str) or not ref.startswith("#"):
        return False
    try:
        return isinstance(lookup(document, split(unquote(ref[1:]))), dict)
    except PointerError:
        return False
