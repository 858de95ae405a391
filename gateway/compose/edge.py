"""The statuses the gateway itself may answer for any operation, declared in the merged spec.

Before a request reaches a service the gateway may refuse it for its head
(:mod:`gateway.limits`: 408, 414, 431), its body (413, for operations with a
request body), an upstream that cannot take it (503) or, when its rate limit
is on, a client over its budget (429, with ``Retry-After``). A client generated
from the merged spec, and a contract test through the gateway, must expect
them: :func:`declare_edge_responses` adds each to every operation that does
not declare it already, as an RFC 9457 problem. A service's own declaration
of the same status is kept.

Every service also answers a conditional read (``If-None-Match``,
``If-Modified-Since``) of an unchanged representation with ``304 Not
Modified`` (:mod:`servicekit.conditional`): a ``GET`` whose ``200`` declares
an ``ETag`` or ``Last-Modified`` header gets a ``304`` with those headers and
no content.

Example: an operation with ``responses: {"200": ...}`` and a request body →
``{"200": ..., "408": ..., "413": ..., "414": ..., "431": ..., "503": ...}``.
"""

from __future__ import annotations

from typing import Any

from codegen.core.problems.schema import PROBLEM_SCHEMA

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

EDGE_RESPONSES = {
    "408": "The request head or body did not arrive in time (answered by the gateway).",
    "413": "The request body is larger than the gateway accepts.",
    "414": "The request line is longer than the gateway accepts.",
    "431": "The request headers are larger or more numerous than the gateway accepts.",
    "503": "The service cannot take the request now (answered by the gateway); retry later.",
}
BODY_ONLY = frozenset({"413"})
VALIDATORS = ("etag", "last-modified")  # response headers that make a GET conditional
NOT_MODIFIED = "The representation has not changed since the client's copy (a conditional GET)."
RATE_LIMITED = "429"  # declared when the gateway's rate limit is on (``[gateway] rate_limit``)
RATE_LIMITED_RESPONSE: dict[str, Any] = {
    "description": "The client used up its request budget at the gateway; retry after "
    "`Retry-After` seconds.",
    "headers": {
        "Retry-After": {
            "description": "Seconds until the budget allows a request again.",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
    "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
}


def edge_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }


def declare_edge_responses(
    paths: dict[str, Any],
    components: dict[str, Any] | None = None,
    rate_limited: bool = False,
) -> dict[str, Any]:
    """``paths`` with the gateway's statuses added to every operation (a copy:
    the source specs' objects are left alone); 429 too when ``rate_limited``;
    ``components`` resolve ``$ref``'d responses when looking for validators."""
    shared = (components or {}).get("responses") or {}
    return {template: _item(item, shared, rate_limited) for template, item in paths.items()}


def _item(item: dict[str, Any], shared: dict[str, Any], rate_limited: bool) -> dict[str, Any]:
    out = dict(item)
    for method in METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            responses = _responses(operation, rate_limited)
            if method == "get":
                not_modified = not_modified_response(responses.get("200"), shared)
                if not_modified is not None:
                    responses.setdefault("304", not_modified)
            out[method] = {**operation, "responses": responses}
    return out


def _responses(operation: dict[str, Any], rate_limited: bool) -> dict[str, Any]:
    responses = dict(operation.get("responses", {}))
    for status, description in EDGE_RESPONSES.items():
        if status in BODY_ONLY and "requestBody" not in operation:
            continue
        responses.setdefault(status, edge_response(description))
    if rate_limited:
        responses.setdefault(RATE_LIMITED, RATE_LIMITED_RESPONSE)
    return responses


def not_modified_response(ok: Any, shared: dict[str, Any]) -> dict[str, Any] | None:
    """The ``304`` of a ``GET`` whose ``200`` response ``ok`` declares a validator
    (its ``ETag``/``Last-Modified`` header declarations, no content); else ``None``.

    ``{"headers": {"ETag": {...}}, "content": {...}}`` →
    ``{"description": ..., "headers": {"ETag": {...}}}``.
    """
    prefix = "#/components/responses/"
    if isinstance(ok, dict) and isinstance(ok.get("$ref"), str) and ok["$ref"].startswith(prefix):
        ok = shared.get(ok["$ref"][len(prefix) :])
    if not isinstance(ok, dict) or not isinstance(ok.get("headers"), dict):
        return None
    headers = {name: h for name, h in ok["headers"].items() if name.lower() in VALIDATORS}
    if not headers:
        return None
    return {"description": NOT_MODIFIED, "headers": dict(sorted(headers.items()))}
