"""ViewSets whose every operation answers from a :class:`codegen.designer.mock.state.MockEngine`.

The generated stubs stay untouched: :func:`mock_views` makes one subclass
per stub class, with one handler per operation. The runtime validates the
request first (400/415/422 as usual), then calls the handler, which asks the
engine and returns a plain ``HttpResponse`` (the runtime still checks its
status is declared). An unsatisfiable ``Prefer`` answers 400 problem+json.

``mock_views(stubs, engine)`` -> ``{"OrdersViewSetMock": <class ...>}``, ready for
``build_urlpatterns(views=...)``.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from rest_framework.request import Request
from servicekit import problems
from servicekit.contract.views import ContractViewSet

from codegen.designer.mock.responder import CannotMock, MockRequest, PreferenceError
from codegen.designer.mock.state import MockEngine


def _raw_body(request: HttpRequest) -> bytes:
    """The raw body, or ``b""`` once the runtime has streamed it (multipart)."""
    try:
        return request.body
    except RawPostDataException:
        return b""


def _handler(engine: MockEngine) -> Any:
    def handle(self: ContractViewSet, request: Request, **values: Any) -> HttpResponse:
        operation = self.operation
        assert operation is not None
        django_request = request._request
        mock_request = MockRequest(
            method=operation.method,
            path=django_request.path,
            query=django_request.META.get("QUERY_STRING", ""),
            body=_raw_body(django_request),
            prefer=django_request.headers.get("Prefer", ""),
            accept=django_request.headers.get("Accept", ""),
            path_params={k: str(v) for k, v in self.kwargs.items()},
        )
        try:
            answer = engine.answer(operation.method, operation.path, mock_request)
        except PreferenceError as exc:
            raise problems.ProblemError(400, str(exc)) from None
        except CannotMock as exc:
            raise problems.ProblemError(501, str(exc)) from None
        if answer.media_type is None:
            return HttpResponse(status=answer.status, headers=answer.headers)
        return HttpResponse(
            answer.body,
            status=answer.status,
            content_type=answer.media_type,
            headers=answer.headers,
        )

    return handle


def mock_views(stubs: ModuleType, engine: MockEngine) -> dict[str, type[ContractViewSet]]:
    """One mock subclass per generated stub class of ``stubs``."""
    handle = _handler(engine)
    found: dict[str, type[ContractViewSet]] = {}
    for name, value in sorted(vars(stubs).items()):
        if not (isinstance(value, type) and issubclass(value, ContractViewSet)):
            continue
        if value is ContractViewSet or not value.operations:
            continue
        namespace = {python_name: handle for python_name in value.operations}
        namespace["__module__"] = __name__
        found[f"{name}Mock"] = type(f"{name}Mock", (value,), namespace)
    return found
