"""Every problem ``code`` specfirst answers with, as data.

A code names a problem type: it is stable (clients branch on it), it fixes the
``title`` and the usual ``status``, and its ``type`` URI is
``/_specfirst/problems#<code>``, a reference that resolves, on the gateway and on
every service, to the catalogue rendered from this table.

Codes named after a status (``not_found``, ``conflict``) are the default for an
error that has no more specific code: ``code_for_status(409) == "conflict"``.
A new code is added here, with its description, before anything answers with it;
:func:`codegen.core.problems.document.problem` refuses codes that are not listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus

TYPE_BASE = "/_specfirst/problems"
"""The page every ``type`` URI points into (``TYPE_BASE + "#" + code``)."""

GATEWAY = "gateway"
SERVICE = "service"
BOTH = frozenset({GATEWAY, SERVICE})


@dataclass(frozen=True, slots=True)
class ProblemType:
    """One problem type: ``code`` -> ``type`` URI, ``title``, usual ``status``.

    ``example`` is a ``detail`` as the gateway or a service writes it, for the
    catalogue page's example document (:mod:`codegen.core.problems.page`).
    """

    code: str
    status: int
    title: str
    description: str
    example: str
    raised_by: frozenset[str] = BOTH

    @property
    def type(self) -> str:
        return f"{TYPE_BASE}#{self.code}"


def _generic(status: int, code: str, description: str, example: str) -> ProblemType:
    return ProblemType(code, status, HTTPStatus(status).phrase, description, example)


def _specific(
    code: str,
    status: int,
    title: str,
    description: str,
    example: str,
    *,
    raised_by: str | None = None,
) -> ProblemType:
    return ProblemType(
        code, status, title, description, example, frozenset({raised_by}) if raised_by else BOTH
    )


_GENERIC = (
    _generic(
        400,
        "bad_request",
        "The request cannot be read; `detail` says why.",
        "The request body is not valid JSON: unexpected character at line 1 column 2.",
    ),
    _generic(
        401,
        "unauthorized",
        "Credentials are missing or invalid; `WWW-Authenticate` "
        "names the schemes that are accepted.",
        "Authentication credentials were not provided.",
    ),
    _generic(
        403,
        "forbidden",
        "The credentials are valid but do not allow this request "
        "(a missing scope, or a resource of someone else).",
        "The token lacks the scope catalog:write.",
    ),
    _generic(
        404,
        "not_found",
        "The addressed resource does not exist.",
        "No product 0b7e2f1c-5d4a-4c1e-9a57-6a3e0f9c2b11.",
    ),
    _generic(
        405,
        "method_not_allowed",
        "The path exists but not with this method; `Allow` lists the methods it has.",
        "PATCH is not allowed on /categories; allowed: GET, POST.",
    ),
    _generic(
        406,
        "not_acceptable",
        "No representation matches the `Accept` header.",
        "Could not satisfy the request Accept header.",
    ),
    _generic(
        408,
        "request_timeout",
        "The request did not arrive in time.",
        "The request did not arrive within 30 s.",
    ),
    _generic(
        409,
        "conflict",
        "The request conflicts with the resource's current state "
        "(a duplicate, a resource in use, not enough stock).",
        "A category with slug 'tools' already exists.",
    ),
    _generic(410, "gone", "The resource existed and was removed.", "The resource was removed."),
    _generic(
        412,
        "precondition_failed",
        "`If-Match` does not match the current `ETag`: "
        "read the resource again and retry with the new `ETag`.",
        "If-Match does not match the current ETag of this product.",
    ),
    _generic(
        413,
        "content_too_large",
        "The request body is larger than accepted.",
        "The request body is larger than 1048576 bytes.",
    ),
    _generic(
        414,
        "uri_too_long",
        "The request target is longer than accepted.",
        "The request target is longer than 8190 bytes.",
    ),
    _generic(
        415,
        "unsupported_media_type",
        "The request body's `Content-Type` is not one the operation declares.",
        'Unsupported media type "text/plain" in request.',
    ),
    _generic(
        422,
        "unprocessable_content",
        "The request is well-formed but refers to "
        "something that cannot be used (an unknown or inactive resource).",
        "Product 0b7e2f1c-5d4a-4c1e-9a57-6a3e0f9c2b11 is not active.",
    ),
    _generic(
        428,
        "precondition_required",
        "The change needs an `If-Match` header with the `ETag` last read.",
        "This change needs an If-Match header with the ETag last read.",
    ),
    _generic(
        429,
        "too_many_requests",
        "Too many requests; `Retry-After` says when to retry.",
        "Request was throttled. Expected available in 2 seconds.",
    ),
    _generic(
        431,
        "request_header_fields_too_large",
        "The request's headers are larger than accepted.",
        "The request headers are larger than 8190 bytes.",
    ),
    _generic(
        500,
        "internal_error",
        "The server failed; the `request_id` finds the log lines.",
        "The server failed to handle the request.",
    ),
    _generic(
        501,
        "not_implemented",
        "The operation is declared but not implemented yet.",
        "createOrder is declared in the spec but not implemented yet.",
    ),
    _generic(
        502,
        "bad_gateway",
        "An upstream answered with something that is not HTTP.",
        "the upstream answered with a malformed response",
    ),
    _generic(
        503,
        "service_unavailable",
        "The server cannot answer now; retry later.",
        "The server cannot answer now.",
    ),
    _generic(
        504,
        "gateway_timeout",
        "An upstream did not answer in time.",
        "the upstream did not answer in time",
    ),
)

_SPECIFIC = (
    _specific(
        "invalid_request",
        400,
        "Invalid request",
        "The request does not match the API contract. Each entry of `errors` names one "
        "invalid part: `pointer` (an RFC 6901 pointer into the request body), "
        "`parameter` with `in` (a path, query or cookie parameter; a `pointer` then "
        "points into its value) or `header`. Some operations declare 422 for this.",
        "The request is invalid (1 error(s)).",
    ),
    _specific(
        "route_not_found",
        404,
        "No such route",
        "No operation of the API has this path.",
        "no route matches GET /nope",
    ),
    _specific(
        "non_canonical_path",
        400,
        "Non-canonical path",
        "The path has a spelling that could mean two things (dot segments, an encoded "
        "slash where the route has none, empty segments); spell it canonically.",
        "the path /orders/../customers is not canonical: spell it /customers",
    ),
    _specific(
        "operation_not_selected",
        400,
        "Operation not selected",
        "Several operations share this path and method and are told apart by query "
        "parameters or headers; `missing` lists the ones that select one.",
        "several operations match GET /search; add one of the parameters in `missing`",
    ),
    _specific(
        "cors_origin_not_allowed",
        403,
        "Origin not allowed",
        "A CORS preflight came from an origin the gateway's `[gateway.cors] allow_origins` "
        "does not list; the answer carries no CORS headers, so the browser refuses the call.",
        GATEWAY,
    ),
    _specific(
        "contract_violation",
        500,
        "Contract violation",
        "The service produced an answer its spec does not declare; it is logged with "
        "the `request_id`.",
        "The answer of getOrder does not match its spec; it was not sent.",
        raised_by=SERVICE,
    ),
    _specific(
        "not_ready",
        503,
        "Not ready",
        "The service's database cannot be reached; `Retry-After` says when to retry.",
        "The database cannot be reached.",
        raised_by=SERVICE,
    ),
    _specific(
        "dependency_unavailable",
        503,
        "Dependency unavailable",
        "A service this one calls cannot be reached; retry later.",
        "catalog cannot be reached.",
        raised_by=SERVICE,
    ),
    _specific(
        "dependency_timeout",
        504,
        "Dependency timeout",
        "A service this one calls did not answer in time.",
        "catalog did not answer within 5 s.",
        raised_by=SERVICE,
    ),
    _specific(
        "body_too_large",
        413,
        "Request body too large",
        "The request body exceeds the size limit; `detail` states the limit.",
        "the request body is larger than 1048576 bytes",
    ),
    _specific(
        "body_timeout",
        408,
        "Request body timeout",
        "The client stopped sending its body for longer than the operation's timeout; "
        "the connection is closed.",
        "the request body did not arrive within 30 s",
        raised_by=GATEWAY,
    ),
    _specific(
        "body_deadline",
        408,
        "Request body deadline",
        "The request body did not arrive in full within the gateway's whole-body deadline, "
        "however steadily it was sent; the connection is closed.",
        GATEWAY,
    ),
    _specific(
        "rate_limited",
        429,
        "Rate limited",
        "The client used up its request budget; `Retry-After` and the `RateLimit` "
        "headers say when it refills.",
        "rate limit exceeded: retry in 1 s",
    ),
    _specific(
        "login_throttled",
        429,
        "Too many failed logins",
        "The token endpoint counted too many failed logins for this username or from this "
        "address; `Retry-After` says when it accepts attempts again.",
        SERVICE,
    ),
    _specific(
        "starting",
        503,
        "Gateway starting",
        "The gateway has not finished loading its routes; retry shortly.",
        "the gateway is starting",
        raised_by=GATEWAY,
    ),
    _specific(
        "no_upstream",
        503,
        "No upstream",
        "No upstream URL is configured for the service that owns the operation.",
        "no upstream is configured for service orders",
        raised_by=GATEWAY,
    ),
    _specific(
        "circuit_open",
        503,
        "Circuit open",
        "The owning service kept failing, so the gateway stopped calling it for a "
        "while; `Retry-After` says when it tries again.",
        "the circuit of service orders is open: retry in 10 s",
        raised_by=GATEWAY,
    ),
    _specific(
        "upstream_unavailable",
        503,
        "Upstream unavailable",
        "The owning service could not be reached (connection refused or closed before an answer).",
        "service orders cannot be reached",
        raised_by=GATEWAY,
    ),
    _specific(
        "upstream_timeout",
        504,
        "Upstream timeout",
        "The owning service did not answer within the operation's timeout.",
        "service orders did not answer within 30 s",
        raised_by=GATEWAY,
    ),
    _specific(
        "malformed_request",
        400,
        "Malformed request",
        "The request is not valid HTTP/1.1; the connection is closed.",
        "the request is not valid HTTP/1.1",
    ),
    _specific(
        "header_too_large",
        431,
        "Request header too large",
        "The request line and headers exceed the size limit; the connection is closed.",
        "the request head is larger than 16384 bytes",
    ),
    _specific(
        "too_many_headers",
        431,
        "Too many request headers",
        "The request has more header fields than the limit; the connection is closed.",
        "the request has more than 100 header fields",
        raised_by=GATEWAY,
    ),
    _specific(
        "header_timeout",
        408,
        "Request header timeout",
        "The request head did not arrive in time; the connection is closed.",
        "the request head did not arrive within 10 s",
    ),
    _specific(
        "too_many_connections",
        503,
        "Too many connections",
        "The gateway worker holds as many connections as it accepts; `Retry-After` "
        "says when to retry.",
        "the worker holds 1000 connections",
        raised_by=GATEWAY,
    ),
    _specific(
        "no_asset",
        404,
        "No such asset",
        "The documentation pages' static files do not include this name.",
        "no asset named 'nope.js'",
        raised_by=GATEWAY,
    ),
)

CATALOG: Mapping[str, ProblemType] = {item.code: item for item in (*_GENERIC, *_SPECIFIC)}
"""Every code, generic ones first; the order of the documentation page."""

_BY_STATUS: Mapping[int, str] = {item.status: item.code for item in _GENERIC}


def code_for_status(status: int) -> str:
    """The generic code of a status: ``409`` -> ``"conflict"``; an uncatalogued 4xx
    is ``bad_request`` and an uncatalogued 5xx ``internal_error``."""
    code = _BY_STATUS.get(status)
    if code is not None:
        return code
    return "internal_error" if status >= 500 else "bad_request"
