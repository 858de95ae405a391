"""RFC 9457 problem details (``application/problem+json``) for every error.

Every error a specfirst service answers, whether raised by DRF, Django or the
contract runtime, has one shape::

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "The request is invalid.",
     "errors": [{"pointer": "#/body/lines/0/quantity", "detail": "Must be >= 1."}]}

``errors`` is present only for validation failures. Each entry's ``pointer``
is a JSON pointer into the request, rooted at the request part it concerns:
``#/body/...``, ``#/path/<name>``, ``#/query/<name>``, ``#/header/<name>`` or
``#/cookie/<name>``.

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
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.settings import api_settings

logger = logging.getLogger("servicekit.problems")

PROBLEM_CONTENT_TYPE = "application/problem+json"
ABOUT_BLANK = "about:blank"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    type: str = ABOUT_BLANK,
    instance: str | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    """The problem document as a dict, keys in a stable order.

    ``problem_body(404, "No order 7.")`` ->
    ``{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No order 7."}``
    """
    body: dict[str, Any] = {"type": type, "title": title or _title(status), "status": status}
    if detail is not None:
        body["detail"] = detail
    if instance is not None:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = [dict(e) for e in errors]
    body.update(extensions)
    return body


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

    ``errors`` (``[{"pointer": ..., "detail": ...}]``), ``title``, ``type`` and
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
        super().__init__(detail or _title(status))
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})
        self.fields = fields

    def response(self) -> ProblemResponse:
        return ProblemResponse(self.status, self.detail, headers=self.headers, **self.fields)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def errors_from_drf(detail: Any, prefix: str = "#/body") -> list[dict[str, str]]:
    """Flatten a DRF ``ValidationError.detail`` into pointer/detail entries.

    ``errors_from_drf({"lines": [{"qty": ["Too small."]}]})`` ->
    ``[{"pointer": "#/body/lines/0/qty", "detail": "Too small."}]``.
    ``non_field_errors`` (and DRF's ``api_settings.NON_FIELD_ERRORS_KEY``)
    belong to the object itself, so they keep the parent pointer.
    """
    out: list[dict[str, str]] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == api_settings.NON_FIELD_ERRORS_KEY:
                    walk(value, pointer)
                else:
                    walk(value, f"{pointer}/{_escape(str(key))}")
        elif isinstance(node, list):
            if all(isinstance(item, str) for item in node):
                out.extend({"pointer": pointer, "detail": str(item)} for item in node)
            else:
                for index, item in enumerate(node):
                    if item:  # DRF pads list errors with {} for valid items
                        walk(item, f"{pointer}/{index}")
        elif node is not None:
            out.append({"pointer": pointer, "detail": str(node)})

    walk(detail, prefix)
    return out


def validation_problem(
    errors: Iterable[Mapping[str, str]], status: int = 400, detail: str | None = None
) -> ProblemResponse:
    """The answer to invalid input: every invalid field, by pointer."""
    items = list(errors)
    return ProblemResponse(
        status,
        detail or f"The request is invalid ({len(items)} error(s)).",
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
    return ProblemResponse(404, f"No route for {request.method} {request.path}.")


def server_error(request: HttpRequest) -> HttpResponse:
    """Django ``handler500``."""
    return ProblemResponse(500, "The server failed to handle the request.")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django ``handler400``."""
    return ProblemResponse(400, "Bad request.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django ``handler403``."""
    return ProblemResponse(403, str(exception) if exception else "Permission denied.")
