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
    """One problem type: ``code`` -> ``type`` URI, ``title``, usual ``status``."""

    code: str
    status: int
    title: str
    description: str
    raised_by: frozenset[str] = BOTH

    @property
    def type(self) -> str:
        return f"{TYPE_BASE}#{self.code}"


def _generic(status: int, code: str, description: str) -> ProblemType:
    return ProblemType(code, status, HTTPStatus(status).phrase, description)


def _specific(
    code: str, status: int, title: str, description: str, raised_by: str | None = None
) -> ProblemType:
    return ProblemType(
        code, status, title, description, frozenset({raised_by}) if raised_by else BOTH
    )


_GENERIC = (
    _generic(400, "bad_request", "The request cannot be read; `detail` says why."),
    _generic(
        401,
        "unauthorized",
        "Credentials are missing or invalid; `WWW-Authenticate` "
        "names the schemes that are accepted.",
    ),
    _generic(
        403,
        "forbidden",
        "The credentials are valid but do not allow this request "
        "(a missing scope, or a resource of someone else).",
    ),
    _generic(404, "not_found", "The addressed resource does not exist."),
    _generic(
        405,
        "method_not_allowed",
        "The path exists but not with this method; `Allow` lists the methods it has.",
    ),
    _generic(406, "not_acceptable", "No representation matches the `Accept` header."),
    _generic(408, "request_timeout", "The request did not arrive in time."),
    _generic(
        409,
        "conflict",
        "The request conflicts with the resource's current state "
        "(a duplicate, a resource in use, not enough stock).",
    ),
    _generic(410, "gone", "The resource existed and was removed."),
    _generic(
        412,
        "precondition_failed",
        "`If-Match` does not match the current `ETag`: "
        "read the resource again and retry with the new `ETag`.",
    ),
    _generic(413, "content_too_large", "The request body is larger than accepted."),
    _generic(414, "uri_too_long", "The request target is longer than accepted."),
    _generic(
        415,
        "unsupported_media_type",
        "The request body's `Content-Type` is not one the operation declares.",
    ),
    _generic(
        422,
        "unprocessable_content",
        "The request is well-formed but refers to "
        "something that cannot be used (an unknown or inactive resource).",
    ),
    _generic(
        428,
        "precondition_required",
        "The change needs an `If-Match` header with the `ETag` last read.",
    ),
    _generic(429, "too_many_requests", "Too many requests; `Retry-After` says when to retry."),
    _generic(
        431, "request_header_fields_too_large", "The request's headers are larger than accepted."
    ),
    _generic(500, "internal_error", "The server failed; the `request_id` finds the log lines."),
    _generic(501, "not_implemented", "The operation is declared but not implemented yet."),
    _generic(502, "bad_gateway", "An upstream answered with something that is not HTTP."),
    _generic(503, "service_unavailable", "The server cannot answer now; retry later."),
    _generic(504, "gateway_timeout", "An upstream did not answer in time."),
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
    ),
    _specific("route_not_found", 404, "No such route", "No operation of the API has this path."),
    _specific(
        "non_canonical_path",
        400,
        "Non-canonical path",
        "The path has a spelling that could mean two things (dot segments, an encoded "
        "slash where the route has none, empty segments); spell it canonically.",
    ),
    _specific(
        "operation_not_selected",
        400,
        "Operation not selected",
        "Several operations share this path and method and are told apart by query "
        "parameters or headers; `missing` lists the ones that select one.",
    ),
    _specific(
        "contract_violation",
        500,
        "Contract violation",
        "The service produced an answer its spec does not declare; it is logged with "
        "the `request_id`.",
        SERVICE,
    ),
    _specific(
        "not_ready",
        503,
        "Not ready",
        "The service's database cannot be reached; `Retry-After` says when to retry.",
        SERVICE,
    ),
    _specific(
        "dependency_unavailable",
        503,
        "Dependency unavailable",
        "A service this one calls cannot be reached; retry later.",
        SERVICE,
    ),
    _specific(
        "dependency_timeout",
        504,
        "Dependency timeout",
        "A service this one calls did not answer in time.",
        SERVICE,
    ),
    _specific(
        "body_too_large",
        413,
        "Request body too large",
        "The request body exceeds the size limit; `detail` states the limit.",
    ),
    _specific(
        "body_timeout",
        408,
        "Request body timeout",
        "The client stopped sending its body for longer than the operation's timeout; "
        "the connection is closed.",
        GATEWAY,
    ),
    _specific(
        "rate_limited",
        429,
        "Rate limited",
        "The client used up its request budget; `Retry-After` and the `RateLimit` "
        "headers say when it refills.",
    ),
    _specific(
        "starting",
        503,
        "Gateway starting",
        "The gateway has not finished loading its routes; retry shortly.",
        GATEWAY,
    ),
    _specific(
        "no_upstream",
        503,
        "No upstream",
        "No upstream URL is configured for the service that owns the operation.",
        GATEWAY,
    ),
    _specific(
        "circuit_open",
        503,
        "Circuit open",
        "The owning service kept failing, so the gateway stopped calling it for a "
        "while; `Retry-After` says when it tries again.",
        GATEWAY,
    ),
    _specific(
        "upstream_unavailable",
        503,
        "Upstream unavailable",
        "The owning service could not be reached (connection refused or closed before an answer).",
        GATEWAY,
    ),
    _specific(
        "upstream_timeout",
        504,
        "Upstream timeout",
        "The owning service did not answer within the operation's timeout.",
        GATEWAY,
    ),
    _specific(
        "malformed_request",
        400,
        "Malformed request",
        "The request is not valid HTTP/1.1; the connection is closed.",
    ),
    _specific(
        "header_too_large",
        431,
        "Request header too large",
        "The request line and headers exceed the size limit; the connection is closed.",
    ),
    _specific(
        "too_many_headers",
        431,
        "Too many request headers",
        "The request has more header fields than the limit; the connection is closed.",
        GATEWAY,
    ),
    _specific(
        "header_timeout",
        408,
        "Request header timeout",
        "The request head did not arrive in time; the connection is closed.",
        GATEWAY,
    ),
    _specific(
        "too_many_connections",
        503,
        "Too many connections",
        "The gateway worker holds as many connections as it accepts; `Retry-After` "
        "says when to retry.",
        GATEWAY,
    ),
    _specific(
        "no_asset",
        404,
        "No such asset",
        "The documentation pages' static files do not include this name.",
        GATEWAY,
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
