"""System checks (specfirst.E001/E002) and the schema drf-spectacular derives."""

from __future__ import annotations

import types
from typing import Any

from django.core import checks
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from rest_framework.request import Request
from servicekit.contract import Reply
from servicekit.contract import checks as contract_checks

from tests.servicekit.harness import root_urlconf


def _messages(urlconf: types.ModuleType) -> list[tuple[str, str, str]]:
    with override_settings(ROOT_URLCONF=urlconf):
        found = contract_checks.check_operations()
    return sorted(
        (m.id or "", type(m).__name__, m.msg) for m in found if m.obj in _classes(urlconf)
    )


def _classes(urlconf: types.ModuleType) -> set[Any]:
    return set(contract_checks.served_viewsets(urlconf.urlpatterns))


def test_check_lists_unimplemented_operations_and_orphan_handlers(contract_api: Any) -> None:
    stubs = contract_api.stubs

    class Misc(stubs.MiscViewSet):  # type: ignore[misc,name-defined]
        def put_values(self, request: Request, *, body: Any) -> Reply:
            return Reply(200, body)

        def plant_forest(self, request: Request) -> Reply:  # no such operation
            return Reply(200)

        def _helper(self, request: Request) -> None:  # private: not a handler
            return None

    urlconf = root_urlconf(contract_api, {"Misc": Misc})
    messages = [m for m in _messages(urlconf) if "Misc" in m[2] or "Tree" in m[2] or "Map" in m[2]]
    assert messages == [
        (
            "specfirst.E001",
            "Warning",
            "Operation plantTree (POST /trees/{kind}/) is not implemented; it answers 501.",
        ),
        (
            "specfirst.E001",
            "Warning",
            "Operation postMap (POST /maps) is not implemented; it answers 501.",
        ),
        ("specfirst.E002", "Error", "Misc.plant_forest implements no operation of the spec."),
    ]


def test_check_is_registered_with_django() -> None:
    assert contract_checks.check_operations in checks.registry.registry.get_checks()


def test_spectacular_derives_operations_and_components(contract_urls: types.ModuleType) -> None:
    generator = SchemaGenerator(urlconf=contract_urls)
    schema = generator.get_schema(request=None, public=True)
    paths = schema["paths"]
    assert sorted(paths) == [
        "/forms",
        "/maps",
        "/orders",
        "/orders/export",
        "/orders/{orderId}",
        "/shapes",
        "/trees/{kind}/",
        "/values",
    ]
    post = paths["/orders"]["post"]
    assert post["operationId"] == "createOrder"
    assert sorted(post["requestBody"]["content"]) == [
        "application/json",
        "application/x-www-form-urlencoded",
    ]
    get = paths["/orders"]["get"]
    assert sorted((p["name"], p["in"]) for p in get["parameters"]) == sorted(
        [
            ("limit", "query"),
            ("status", "query"),
            ("ids", "query"),
            ("filter", "query"),
            ("X-Trace", "header"),
            ("session", "cookie"),
        ]
    )
    components = schema["components"]["schemas"]
    assert components["Order"]["additionalProperties"] is False
    # Node is only used in a request body: with COMPONENT_SPLIT_REQUEST its
    # component is NodeRequest, and its recursive $ref follows the rename.
    name = "Node" if "Node" in components else "NodeRequest"
    node = components[name]
    assert node["properties"]["children"]["items"] == {"$ref": f"#/components/schemas/{name}"}
    shape = components.get("Shape") or components["ShapeRequest"]
    assert shape["discriminator"]["propertyName"] == "shape"


def test_spectacular_publishes_response_headers_on_their_status_only(
    contract_urls: types.ModuleType,
) -> None:
    paths = SchemaGenerator(urlconf=contract_urls).get_schema(request=None, public=True)["paths"]
    patch = paths["/orders/{orderId}"]["patch"]["responses"]
    assert patch["200"]["headers"] == {
        "ETag": {"schema": {"type": "string", "minLength": 3}, "description": "The new tag."}
    }
    assert "headers" not in patch["412"]
    deleted = paths["/orders/{orderId}"]["delete"]["responses"]["204"]["headers"]
    assert deleted == {"X-Deleted": {"schema": {"type": "string"}, "required": True}}
    assert "headers" not in paths["/orders/{orderId}"]["get"]["responses"]["200"]
    parameters = paths["/orders/{orderId}"]["patch"].get("parameters", [])
    assert [p["name"] for p in parameters] == ["orderId"]


def test_spectacular_request_body_required_is_the_specs(contract_urls: types.ModuleType) -> None:
    paths = SchemaGenerator(urlconf=contract_urls).get_schema(request=None, public=True)["paths"]
    # A PATCH serializer is partial to spectacular, yet the spec requires the body.
    assert paths["/orders/{orderId}"]["patch"]["requestBody"]["required"] is True
    assert paths["/shapes"]["post"]["requestBody"]["required"] is True
    # An optional body stays optional whatever its schema requires.
    assert "required" not in paths["/values"]["put"]["requestBody"]
