"""servicekit.handlers, OperationSecurity, the derived schema's security, servicekit.serve."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest
from catalog.api import views as catalog_views
from customers.api import views as customers_views
from django.test import Client
from orders.api import views as orders_views
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from servicekit import serve
from servicekit.handlers import missing_precondition

from codegen.core.auth.defaults import DEV_API_KEY
from tests.services.conftest import Api, create_category, new_id
from tests.services.problems import assert_problem
from tests.services.tokens import gateway_identity

factory = APIRequestFactory()


@dataclass
class FakeParam:
    name: str
    location: str = "header"
    required: bool = True


@dataclass
class FakeResponse:
    status: str


@dataclass
class FakeOperation:
    params: list[FakeParam] = field(default_factory=list)
    responses: list[FakeResponse] = field(default_factory=list)


def _request(**headers: str) -> Request:
    return Request(factory.patch("/x", headers=headers))


@pytest.mark.parametrize(
    ("operation", "headers", "expected"),
    [
        (FakeOperation([FakeParam("If-Match")], [FakeResponse("428")]), {}, "If-Match"),
        (
            FakeOperation([FakeParam("If-Match")], [FakeResponse("428")]),
            {"If-Match": " "},
            "If-Match",
        ),
        (FakeOperation([FakeParam("If-Match")], [FakeResponse("428")]), {"If-Match": '"a"'}, None),
        (FakeOperation([FakeParam("If-Match")], [FakeResponse("400")]), {}, None),
        (FakeOperation([FakeParam("If-Match", required=False)], [FakeResponse("428")]), {}, None),
        (FakeOperation([FakeParam("X-Trace")], [FakeResponse("428")]), {}, None),
    ],
)
def test_missing_precondition(
    operation: FakeOperation, headers: dict[str, str], expected: str | None
) -> None:
    assert missing_precondition(operation, _request(**headers)) == expected


def test_security_is_checked_before_validation(api: Api) -> None:
    # invalid body and no credentials: the caller learns it must authenticate first
    assert_problem(api.call("POST", "/products", {"sku": 1}), 401)
    assert_problem(api.call("POST", "/orders", {"lines": "x"}), 401)


def test_unauthenticated_answer_carries_a_challenge(api: Api) -> None:
    response = api.call("GET", "/orders")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_public_reads_ignore_stale_credentials(api: Api) -> None:
    create_category(api, "garden")
    bad = {"X-API-Key": "revoked", "Authorization": "Bearer not-a-token"}
    response = api.call("GET", "/categories", headers=bad)
    assert response.status_code == 200
    assert response.json()["total"] == 1


def test_the_gateway_signed_identity_authorises(api: Api) -> None:
    admin = gateway_identity("GET", "/customers", "gateway-admin", "admin")
    assert api.call("GET", "/customers", headers=admin).status_code == 200
    body = {"name": "G", "slug": "g"}
    bearer_only = gateway_identity("POST", "/categories", "gateway-admin", "admin")
    assert_problem(api.call("POST", "/categories", body, bearer_only), 401)
    by_key = gateway_identity("POST", "/categories", "ci", "", "apiKeyAuth")
    assert api.call("POST", "/categories", body, by_key).status_code == 201
    replayed = api.call("GET", "/customers", headers=by_key)  # signed for POST /categories
    assert_problem(replayed, 401)
    plain = {"X-Specfirst-Subject": "mallory", "X-Specfirst-Scopes": "admin",
             "X-Specfirst-Auth-Scheme": "bearerAuth"}  # fmt: skip
    assert_problem(api.call("GET", "/customers", headers=plain), 401)


def _derived(client: Client) -> dict[str, Any]:
    response = client.get("/schema/derived.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_derived_schema_declares_the_specs_security(client: Client) -> None:
    document = _derived(client)
    schemes = document["components"]["securitySchemes"]
    assert schemes["apiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "A catalog API key; every write needs one.",
    }
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert document["paths"]["/products"]["post"]["security"] == [{"apiKeyAuth": []}]
    assert "security" not in document["paths"]["/products"]["get"]
    assert document["paths"]["/orders"]["get"]["security"] == [{"bearerAuth": []}]
    assert "/stock-reservations" in document["paths"]


def test_derived_schema_takes_no_description_from_docstrings(client: Client) -> None:
    operations = [op for item in _derived(client)["paths"].values() for op in item.values()]
    assert operations
    assert not [op["operationId"] for op in operations if "Mixin" in op.get("description", "")]


@pytest.mark.parametrize(
    "viewset",
    [
        catalog_views.CategoriesViewSet,
        catalog_views.ProductsViewSet,
        catalog_views.StockViewSet,
        customers_views.CustomersViewSet,
        orders_views.OrdersViewSet,
    ],
)
def test_every_operation_is_implemented(viewset: Any) -> None:
    """No operation answers 501: every generated stub method is overridden."""
    assert viewset.operations
    assert sorted(viewset.implemented_operations()) == sorted(viewset.operations)


def test_serve_builds_a_threaded_gunicorn_command() -> None:
    command = serve.gunicorn_command("orders", "127.0.0.1", 8003, 2, 8)
    assert command[:4] == [sys.executable, "-m", "gunicorn", "orders_site.wsgi:application"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:8003"
    assert command[command.index("--worker-class") + 1] == "servicekit.worker.ProblemThreadWorker"
    # the gateway's limits (codegen.core.limits), with room for the headers it adds
    assert command[command.index("--limit-request-line") + 1] == "8190"
    assert command[command.index("--limit-request-fields") + 1] == "120"
    assert command[command.index("--limit-request-field_size") + 1] == "8190"
    assert command[command.index("--chdir") + 1] == str(serve.service_dir("orders"))


def test_serve_refuses_unknown_services() -> None:
    with pytest.raises(SystemExit, match=r"unknown service 'billing'.*catalog, customers, orders"):
        serve.service_dir("billing")


def test_api_key_identity_reaches_the_handler(api: Api) -> None:
    response = api.call(
        "GET", f"/stock-reservations/{new_id()}", headers={"X-API-Key": DEV_API_KEY}
    )
    assert_problem(response, 404)
