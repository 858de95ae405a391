"""Links the stateful phase follows besides the spec's own, derived from what it declares.

A spec declares the links a client needs to reach what it created (``POST /categories``
201 -> ``GET /categories/{categoryId}``). Changing and deleting it needs more: an
operation on the same path, and for ``PUT``/``PATCH`` a valid ``If-Match``. Without
them schemathesis changes only resources it guesses (404) with an ``If-Match`` it
invents (412), and never reaches a 200 or a 409 of a change, nor a 204 of a delete.
Two rules, applied to the copy of the spec that schemathesis runs (the spec itself,
and its coverage items, are unchanged):

1. **Siblings.** A declared link to an operation on path P leads, with the same
   parameters, to every other operation on P: ``POST /categories`` 201 also links to
   ``DELETE`` and ``PATCH /categories/{categoryId}``.
2. **ETags.** A 2xx response that declares an ``ETag`` header leads to every
   operation of its path that takes an ``If-Match`` header, the path parameters from
   ``$request.path``; any link (declared, or of rule 1) from such a response to such
   an operation sends ``header.If-Match: $response.header.ETag``.

``GET /categories/{categoryId}`` 200 (with an ``ETag``) thus links to ``PATCH
/categories/{categoryId}`` with ``{"categoryId": "$request.path.categoryId",
"header.If-Match": "$response.header.ETag"}``. Added links are named
``Derived<OperationId>``; a source that already links to an operation keeps its link.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

from codegen.core.openapi import HTTP_METHODS
from codegen.verify.contract.seed import resolve

ETAG_LINK = "$response.header.ETag"
IF_MATCH = "header.If-Match"
PREFIX = "Derived"
_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")


def _operations(item: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for method in HTTP_METHODS:
        operation = item.get(method) if isinstance(item, Mapping) else None
        if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
            yield method, operation


def _takes_if_match(document: Mapping[str, Any], item: Any, operation: Mapping[str, Any]) -> bool:
    for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        parameter = resolve(document, raw)
        if (
            isinstance(parameter, Mapping)
            and parameter.get("in") == "header"
            and str(parameter.get("name", "")).lower() == "if-match"
        ):
            return True
    return False


def _declares_etag(response: Mapping[str, Any]) -> bool:
    return any(str(name).lower() == "etag" for name in response.get("headers") or {})


def _success_responses(
    document: Mapping[str, Any], operation: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The operation's 2xx responses, each its own copy when it was a ``$ref`` (links
    added to it must not land on a shared component)."""
    responses = operation.get("responses")
    if not isinstance(responses, dict):
        return
    for status in list(responses):
        if not str(status).startswith("2"):
            continue
        if isinstance(responses[status], Mapping) and "$ref" in responses[status]:
            responses[status] = copy.deepcopy(resolve(document, responses[status]))
        if isinstance(responses[status], dict):
            yield responses[status]


def with_derived_links(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` (a bundled document: local ``$ref`` only) with the links of
    both rules added."""
    document = copy.deepcopy(dict(spec))
    raw_paths = document.get("paths")
    paths: dict[str, Any] = raw_paths if isinstance(raw_paths, dict) else {}
    where: dict[str, str] = {}  # operationId -> path
    conditional: set[str] = set()  # operationIds that take If-Match
    for path, item in paths.items():
        for _, operation in _operations(item):
            where[operation["operationId"]] = path
            if _takes_if_match(document, item, operation):
                conditional.add(operation["operationId"])
    for path, item in paths.items():
        for _, operation in _operations(item):
            for response in _success_responses(document, operation):
                _extend(document, response, path, where, conditional)
    return document


def _siblings(
    declared: list[Mapping[str, Any]], where: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Rule 1: the operations on the path of a declared link's target, not linked yet."""
    targets = {link.get("operationId") for link in declared}
    found: dict[str, dict[str, Any]] = {}
    for link in declared:
        target_path = where.get(str(link.get("operationId")))
        parameters = link.get("parameters")
        if target_path is None or not isinstance(parameters, Mapping):
            continue
        for sibling, sibling_path in where.items():
            if sibling_path == target_path and sibling not in targets:
                found.setdefault(sibling, {"operationId": sibling, "parameters": dict(parameters)})
    return found


def _extend(
    document: Mapping[str, Any],
    response: dict[str, Any],
    path: str,
    where: Mapping[str, str],
    conditional: set[str],
) -> None:
    """Add both rules' links to ``response`` (of an operation on ``path``)."""
    links = response.get("links", {})
    if not isinstance(links, dict):
        return
    declared = [resolve(document, link) for link in links.values()]
    declared = [link for link in declared if isinstance(link, Mapping)]
    added = _siblings(declared, where)
    if _declares_etag(response):
        linked = {link.get("operationId") for link in declared}
        own = {name: f"$request.path.{name}" for name in _PATH_PARAMETER.findall(path)}
        for target in sorted(conditional - linked):
            if where[target] == path:
                added.setdefault(target, {"operationId": target, "parameters": own})
        for name, link in list(links.items()):
            resolved = resolve(document, link)
            if isinstance(resolved, Mapping) and resolved.get("operationId") in conditional:
                links[name] = {**resolved, "parameters": _with_etag(resolved.get("parameters"))}
        for target in added.keys() & conditional:
            added[target]["parameters"] = _with_etag(added[target]["parameters"])
    for target, link in added.items():
        links[f"{PREFIX}{target[:1].upper()}{target[1:]}"] = link
    if links:
        response["links"] = links


def _with_etag(parameters: Any) -> dict[str, Any]:
    found = dict(parameters) if isinstance(parameters, Mapping) else {}
    found.setdefault(IF_MATCH, ETAG_LINK)
    return found
