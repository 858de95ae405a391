"""``ContractViewSet``: the base of every generated ViewSet stub.

For each request the runtime, before any hand-written code runs:

1. parses and validates path, query, header and cookie parameters;
2. picks the request body's media type (415 if undeclared), parses and
   validates it;
3. answers 400 (or 422, see :attr:`Operation.invalid_status`) listing every
   invalid field by JSON pointer, or 501 if the operation has no handler;
4. calls the handler ``self.<python_name>(request, **params, body=...)``, the
   body built into its generated class (:mod:`.records`) where it has one;
5. writes the handler's :class:`~.operations.Reply` with the serializer of
   its status (:mod:`.replies`).

A :class:`~.errors.ContractError` (undeclared status, data for a no-content
response) raises loudly when ``settings.DEBUG`` or
``SPECFIRST_RAISE_CONTRACT_ERRORS`` is on, else it is logged and answers a
500 problem.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework import viewsets
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.fields import empty
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from codegen.core.strictness import DEFAULT_POLICY, QueryPolicy
from servicekit import problems
from servicekit.contract.bodies import (
    MalformedBody,
    UnsupportedMediaType,
    choose_media,
    read_body,
)
from servicekit.contract.errors import ContractError, ErrorTree
from servicekit.contract.operations import Operation
from servicekit.contract.params import check_query, parse_params
from servicekit.contract.replies import render_reply
from servicekit.contract.spectacular import ContractSerializerExtension

logger = logging.getLogger("servicekit.contract")

_EXTENSIONS = (ContractSerializerExtension,)  # registered with drf-spectacular on import

F = TypeVar("F", bound=Callable[..., Any])


def not_implemented(method: F) -> F:
    """Marks a generated handler stub; the runtime answers 501 for it."""
    vars(method)["contract_stub"] = True
    return method


def raise_contract_errors() -> bool:
    return bool(getattr(settings, "SPECFIRST_RAISE_CONTRACT_ERRORS", settings.DEBUG))


def query_policy() -> QueryPolicy:
    """``SPECFIRST_QUERY_POLICY`` (the project's ``[tool.specfirst.validation]``, set by
    :func:`servicekit.settings.service_settings`), else the default: reject."""
    policy = getattr(settings, "SPECFIRST_QUERY_POLICY", DEFAULT_POLICY)
    if not isinstance(policy, QueryPolicy):
        raise TypeError(f"SPECFIRST_QUERY_POLICY must be a QueryPolicy, got {policy!r}")
    return policy


def _exception_handler(exc: Exception, context: Mapping[str, Any]) -> HttpResponseBase | None:
    """Problem+json for every error, except contract errors that must raise."""
    if isinstance(exc, ContractError) and raise_contract_errors():
        return None
    return problems.exception_handler(exc, context)


class ContractViewSet(viewsets.ViewSet):
    """Generated bases set ``operations`` (python_name -> Operation)."""

    operations: ClassVar[Mapping[str, Operation]] = {}
    operation: Operation | None = None

    def get_exception_handler(self) -> Callable[..., Any]:
        return _exception_handler

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # Bodies are written by the contract, not by DRF renderers: an unusual
        # Accept header must not turn into a 406 before the handler runs.
        try:
            return super().perform_content_negotiation(request, force)
        except NotAcceptable:
            return (JSONRenderer(), "application/json")

    @classmethod
    def implemented_operations(cls) -> list[str]:
        """python_names of operations with a hand-written handler."""
        return sorted(
            name
            for name in cls.operations
            if not getattr(getattr(cls, name, None), "contract_stub", False)
        )

    def run_operation(
        self, python_name: str, request: Request, path_kwargs: Mapping[str, str]
    ) -> HttpResponseBase:
        operation = self.operations[python_name]
        self.operation = operation
        django_request: HttpRequest = request._request
        errors = ErrorTree()
        check_query(django_request, operation.path, operation.params, query_policy(), errors)
        values = parse_params(django_request, path_kwargs, operation.params, errors)
        if operation.body is not None:
            try:
                values["body"] = self._body(operation, django_request, errors)
            except UnsupportedMediaType as exc:
                return problems.ProblemResponse(
                    415,
                    f"Content-Type {exc.received} is not accepted here; "
                    f"use one of: {', '.join(exc.declared)}.",
                )
        if errors:
            return problems.validation_problem(
                problems.errors_from_drf(errors.detail(), location=""),
                status=operation.invalid_status,
            )
        handler = getattr(self, python_name)
        if getattr(handler, "contract_stub", False):
            return problems.ProblemResponse(
                501, f"Operation {operation.operation_id} is not implemented yet."
            )
        result = handler(request, **values)
        try:
            return render_reply(operation, result, django_request.headers.get("Accept", ""))
        except ContractError:
            if raise_contract_errors():
                raise
            logger.exception("Contract violation in %s", operation.operation_id)
            return problems.ProblemResponse(
                500, "The server failed to honour its API contract.", code="contract_violation"
            )

    def _body(self, operation: Operation, request: HttpRequest, errors: ErrorTree) -> Any:
        body = operation.body
        assert body is not None
        # Headers only: reading the body here would defeat streamed uploads.
        length = request.META.get("CONTENT_LENGTH") or "0"
        has_content = bool(request.META.get("CONTENT_TYPE")) or (
            length.isdigit() and int(length) > 0
        )
        if not has_content:
            if body.required:
                errors.add(("body",), "A request body is required.")
            return None
        media = choose_media(body, request.META.get("CONTENT_TYPE", ""))
        try:
            raw = read_body(request, media)
        except RequestDataTooBig:
            raise problems.ProblemError(
                413, "The request body is larger than this service accepts."
            ) from None
        except MalformedBody as exc:
            errors.add(("body",), str(exc))
            return None
        if raw is empty:
            if body.required:
                errors.add(("body",), "A request body is required.")
            return None
        if media.field is None:
            return raw
        try:
            value = media.field.run_validation(raw)
        except ValidationError as exc:
            errors.merge(exc.detail, ("body",))
            return None
        return value if media.build is None else media.build(value)
