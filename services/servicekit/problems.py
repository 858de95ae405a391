"""RFC 9457 problem details (``application/problem+json``) for every error.

Every error a specfirst service answers, whether raised by DRF, Django or the
contract runtime, is a problem of specfirst's profile, built by the same
function as the gateway's (:func:`codegen.core.problems.problem`)::

    {"type": "/_specfirst/problems#invalid_request", "title": "Invalid request",
     "status": 400, "detail": "The request is invalid (1 error(s)).",
     "instance": "/orders", "code": "invalid_request", "request_id": "3f2a...",
     "errors": [{"pointer": "/lines/0/quantity", "detail": "Must be >= 1."}]}

``instance`` and ``request_id`` come from the request being handled
(:mod:`servicekit.requestlog`). ``code`` defaults to the status's generic code
(``conflict`` for 409). ``errors`` is present only for validation failures; each
entry points into the request body (``pointer``, RFC 6901) or names a
``parameter`` (with ``in``) or ``header``.

Public API (stable; other packages build on it):

* :data:`PROBLEM_CONTENT_TYPE`
* :func:`problem_body` -> dict, :class:`ProblemResponse` -> Django response
* :class:`ProblemError`: raise it anywhere in a view to answer that problem
* :func:`exception_handler`: DRF ``EXCEPTION_HANDLER``
* :func:`not_found`, :func:`server_error`: Django ``handler404`` / ``handler500``
* :func:`errors_from_drf`: DRF ``ValidationError.detail`` -> ``errors`` list
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.settings import api_settings

from codegen.core.problems import CATALOG, code_for_status, problem
from codegen.core.problems.document import request_error
from servicekit.requestlog import current_request_id, current_request_path

logger = logging.getLogger("servicekit.problems")

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_body(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    """The problem document as a dict, members in the profile's order.

    ``problem_body(404, "No order 7.")`` (while handling ``GET /orders/7``) ->
    ``{"type": "/_specfirst/problems#not_found", "title": "Not Found", "status": 404,
    "detail": "No order 7.", "instance": "/orders/7", "code": "not_found",
    "request_id": "..."}``
    """
    chosen = code or code_for_status(status)
    return problem(
        chosen,
        detail or f"{CATALOG[chosen].title}.",
        status=status,
        title=title,
        instance=instance or current_request_path(),
        request_id=request_id or current_request_id(),
        errors=errors,
        **extensions,
    )


class ProblemResponse(HttpResponse):
    """A Django response whose body is a problem document.

    ``ProblemResponse(405, "GET is not allowed.", headers={"Allow": "POST"})``
    """

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        **fields: Any,
    ) -> None:
        body = problem_body(status, detail, **fields)
        super().__init__(
            json.dumps(body, ensure_ascii=False, default=str).encode(),
            status=status,
            content_type=PROBLEM_CONTENT_TYPE,
            headers=dict(headers or {}),
        )
        self.problem = body


class ProblemError(Exception):
    """Raise in a view to answer a problem: ``raise ProblemError(409, "Order is closed.")``.

    ``code``, ``errors`` (``[{"pointer": ..., "detail": ...}]``), ``title`` and
    extra keyword fields go into the body; ``headers`` into the response.
    """

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(detail or CATALOG[code_for_status(status)].title)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})
        self.fields = fields

    def response(self) -> ProblemResponse:
        return ProblemResponse(self.status, self.detail, headers=self.headers, **self.fields)


def errors_from_drf(detail: Any, location: str = "body") -> list[dict[str, str]]:
    """Flatten a DRF ``ValidationError.detail`` into the profile's ``errors`` entries.

    ``errors_from_drf({"lines": [{"qty": ["Too small."]}]})`` ->
    ``[{"pointer": "/lines/0/qty", "detail": "Too small."}]``. With
    ``location=""`` the first key names the part of the request (``body``,
    ``query``, ``path``, ``header``, ``cookie``), as the contract runtime's error
    tree has it. ``non_field_errors`` (DRF's ``api_settings.NON_FIELD_ERRORS_KEY``)
    belong to the object itself, so they keep the parent's location.
    """
    out: list[dict[str, str]] = []

    def add(tokens: list[str | int], message: str) -> None:
        if location:
            out.append(request_error(location, tokens, message))
        else:
            out.append(request_error(str(tokens[0]), tokens[1:], message))

    def walk(node: Any, tokens: list[str | int]) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == api_settings.NON_FIELD_ERRORS_KEY:
                    walk(value, tokens)
                else:
                    walk(value, [*tokens, key if isinstance(key, int) else str(key)])
        elif isinstance(node, list):
            if all(isinstance(item, str) for item in node):
                for item in node:
                    add(tokens, str(item))
            else:
                for index, item in enumerate(node):
                    if item:  # DRF pads list errors with {} for valid items
                        walk(item, [*tokens, index])
        elif node is not None:
            add(tokens, str(node))

    walk(detail, [])
    return out


def validation_problem(
    errors: Iterable[Mapping[str, str]], status: int = 400, detail: str | None = None
) -> ProblemResponse:
    """The answer to invalid input: every invalid field, by pointer."""
    items = list(errors)
    return ProblemResponse(
        status,
        detail or f"The request is invalid ({len(items)} error(s)).",
        code="invalid_request",
        errors=items,
    )


def _drf_problem(exc: drf_exceptions.APIException) -> ProblemResponse:
    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(int(wait))
    if isinstance(exc, drf_exceptions.ValidationError):
        return validation_problem(errors_from_drf(exc.detail))
    if isinstance(exc, drf_exceptions.ParseError):
        return ProblemResponse(400, str(exc.detail), headers=headers)
    if isinstance(exc, drf_exceptions.Throttled):
        return ProblemResponse(429, str(exc.detail), code="rate_limited", headers=headers)
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
    return ProblemResponse(exc.status_code, str(detail), headers=headers)


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> HttpResponse | None:
    """DRF ``EXCEPTION_HANDLER``: every error becomes problem+json.

    Unexpected exceptions are logged and answer a 500 problem, except when
    ``settings.DEBUG`` is on: then ``None`` lets them propagate loudly.
    """
    if isinstance(exc, ProblemError):
        return exc.response()
    if isinstance(exc, Http404):
        return ProblemResponse(404, str(exc) or "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return ProblemResponse(403, str(exc) or "Permission denied.")
    if isinstance(exc, drf_exceptions.APIException):
        return _drf_problem(exc)
    if settings.DEBUG:
        return None
    logger.exception("Unhandled exception in %s", context.get("view"))
    return ProblemResponse(500, "The server failed to handle the request.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django ``handler404``: ``No route for GET /nope.`` as a 404 problem."""
    return ProblemResponse(
        404, f"No route for {request.method} {request.path}.", code="route_not_found"
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django ``handler500``."""
    return ProblemResponse(500, "The server failed to handle the request.")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django ``handler400``."""
    return ProblemResponse(400, "Bad request.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django ``handler403``."""
    return ProblemResponse(403, str(exception) if exception else "Permission denied.")
