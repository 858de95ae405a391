"""What every hand-written service ViewSet adds to the generated stubs.

Mix :class:`ServiceHandlers` in before the generated stub class::

    class ProductsViewSet(ServiceHandlers, stubs.ProductsViewSet): ...

It

* reads credentials lazily (DRF reads them eagerly by default), so a stale
  token sent to a public read is ignored; the operation's security
  requirements are enforced by :class:`servicekit.security.OperationSecurity`
  before any validation;
* answers 428 when the operation declares 428 and a required ``If-Match``
  header is missing (RFC 6585), rather than the generic 400 of validation;
* turns :class:`servicekit.errors.DomainError` raised by a handler into the
  problem the spec declares for it (404, 409, 412, 422, 503, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http.response import HttpResponseBase
from rest_framework.request import Request

from servicekit.contract.views import ContractViewSet
from servicekit.errors import DomainError, to_problem
from servicekit.problems import ProblemResponse

CONDITIONAL_HEADERS = ("if-match",)


def missing_precondition(operation: Any, request: Request) -> str | None:
    """The name of a required conditional header absent from ``request``, when
    the operation declares 428; else ``None``.

    An operation with a required ``If-Match`` header param and a ``428``
    response, called without ``If-Match`` -> ``"If-Match"``.
    """
    if not any(response.status == "428" for response in operation.responses):
        return None
    for param in operation.params:
        if (
            param.location == "header"
            and param.required
            and param.name.lower() in CONDITIONAL_HEADERS
            and not request.headers.get(param.name, "").strip()
        ):
            return str(param.name)
    return None


class ServiceHandlers(ContractViewSet):
    """Mixin for the hand-written subclasses of generated ``ContractViewSet`` stubs
    (a ``ContractViewSet`` itself, so it sits before the stub in the MRO)."""

    def perform_authentication(self, request: Request) -> None:
        """Authenticate lazily: only operations that require credentials read them
        (see :func:`servicekit.security.enforce`)."""

    def run_operation(
        self, python_name: str, request: Request, path_kwargs: Mapping[str, str]
    ) -> HttpResponseBase:
        operation = self.operations[python_name]
        header = missing_precondition(operation, request)
        if header is not None:
            return ProblemResponse(
                428,
                f"{operation.operation_id} changes a resource and needs an {header} header "
                "with the ETag you last read.",
                title="Precondition Required",
            )
        try:
            return super().run_operation(python_name, request, path_kwargs)
        except DomainError as error:
            raise to_problem(error) from None
