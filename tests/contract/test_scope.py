"""The gateway's operations routed to some services (specfirst test NAME)."""

from __future__ import annotations

from typing import Any

from codegen.verify.contract.scope import routed_to


def operation(
    service: str, operation_id: str, links: dict[str, Any] | None = None
) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok"}
    if links is not None:
        response["links"] = links
    return {
        "operationId": operation_id,
        "x-specfirst-service": service,
        "responses": {"200": response},
    }


MERGED: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "gateway", "version": "1"},
    "paths": {
        "/items": {
            "parameters": [{"name": "x", "in": "query", "schema": {"type": "string"}}],
            "get": operation("inventory", "listItems"),
            "post": operation(
                "inventory",
                "createItem",
                {
                    "same": {"operationId": "listItems"},
                    "other": {"operationId": "listCategories"},
                    "byRef": {"operationRef": "#/paths/~1items/get"},
                    "goneRef": {"operationRef": "#/paths/~1categories/get"},
                },
            ),
        },
        "/categories": {"get": operation("catalog", "listCategories")},
        "/mixed": {"get": operation("catalog", "a"), "put": operation("inventory", "b")},
    },
    "components": {"schemas": {"Kept": {"type": "string"}}},
}


def test_only_the_operations_routed_to_the_services_are_kept() -> None:
    scoped = routed_to(MERGED, {"inventory"})
    assert {
        path: sorted(k for k in item if k != "parameters") for path, item in scoped["paths"].items()
    } == {
        "/items": ["get", "post"],
        "/mixed": ["put"],
    }
    assert scoped["paths"]["/items"]["parameters"] == MERGED["paths"]["/items"]["parameters"]
    assert scoped["components"] == MERGED["components"]
    assert "/categories" in MERGED["paths"]  # the merged document is left as it was


def test_links_to_dropped_operations_are_dropped() -> None:
    links = routed_to(MERGED, {"inventory"})["paths"]["/items"]["post"]["responses"]["200"]["links"]
    assert sorted(links) == ["byRef", "same"]
    every = routed_to(MERGED, {"inventory", "catalog"})["paths"]["/items"]["post"]
    assert sorted(every["responses"]["200"]["links"]) == ["byRef", "goneRef", "other", "same"]
