"""The SDK's typed errors carry the problem profile of real answers: a service's
problems (through the gateway) and the gateway's own, with ``code``, ``type``,
``title``, ``status``, ``detail``, ``instance``, ``request_id`` and ``errors``."""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from codegen.cli.commands.sdk import from_merged
from codegen.core.auth.defaults import DEV_API_KEY
from codegen.generator.output import FileSet
from codegen.generator.sdk import render_sdk
from tests.problems.resolve import assert_type_resolves
from tests.sdk.conftest import LiveGateway

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
PACKAGE = "shop_errors_client"


@pytest.fixture(scope="module")
def sdk(
    tmp_path_factory: pytest.TempPathFactory, live_gateway: LiveGateway
) -> Iterator[ModuleType]:
    """The SDK of the merged spec, imported from where it was generated."""
    out = tmp_path_factory.mktemp("sdk-errors")
    loaded = from_merged(live_gateway.project, None)
    FileSet(out / PACKAGE, render_sdk(loaded.api, loaded.source, PACKAGE, "shop-errors")).write()
    sys.path.insert(0, str(out / PACKAGE))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out / PACKAGE))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture
def client(sdk: ModuleType, live_gateway: LiveGateway) -> Iterator[Any]:
    with sdk.Client(live_gateway.url, api_key=DEV_API_KEY, max_retries=0) as shop:
        yield shop


def test_a_services_not_found_exposes_the_profile(
    sdk: ModuleType, client: Any, live_gateway: LiveGateway
) -> None:
    missing = uuid.uuid4()
    with pytest.raises(sdk.NotFoundError) as caught:
        client.get_product(missing, request_id="sdk-missing-1")
    error = caught.value
    assert (error.code, error.type, error.title, error.status) == (
        "not_found", "/_specfirst/problems#not_found", "Not Found", 404,
    )  # fmt: skip
    assert error.instance == f"/products/{missing}"
    assert error.request_id == "sdk-missing-1" == error.problem.request_id
    assert error.detail and error.errors == []
    assert_type_resolves(live_gateway.url, error.type)


def test_invalid_query_parameters_name_the_parameter(sdk: ModuleType, client: Any) -> None:
    with pytest.raises(sdk.BadRequestError) as caught:
        client.list_products(limit=0, request_id="sdk-limit-1")
    error = caught.value
    assert error.code == "invalid_request" and error.request_id == "sdk-limit-1"
    assert [(e.parameter, e.in_, e.pointer, e.header) for e in error.errors] == [
        ("limit", "query", None, None)
    ]
    assert error.errors[0].detail


def test_invalid_bodies_point_into_the_body(sdk: ModuleType, client: Any) -> None:
    body = sdk.models.CategoryRequest.model_construct(name="", slug="Not A Slug")
    with pytest.raises(sdk.ValidationError) as caught:
        client.create_category(body=body)
    error = caught.value
    assert error.code == "invalid_request" and error.instance == "/categories"
    assert sorted(e.pointer for e in error.errors) == ["/name", "/slug"]
    assert all(e.parameter is None and e.header is None for e in error.errors)


def test_the_gateways_own_problems_expose_the_profile(
    sdk: ModuleType, live_gateway: LiveGateway
) -> None:
    """A 401 the gateway answers itself (no credentials) is as typed as a service's."""
    with (
        sdk.Client(live_gateway.url, max_retries=0) as anonymous,
        pytest.raises(sdk.AuthenticationError) as caught,
    ):
        anonymous.create_category(
            body=sdk.models.CategoryRequest(name="x", slug="x"), request_id="sdk-anon-1"
        )
    error = caught.value
    assert (error.status, error.code, error.request_id) == (401, "unauthorized", "sdk-anon-1")
    assert error.type == "/_specfirst/problems#unauthorized"
    assert_type_resolves(live_gateway.url, error.type)
