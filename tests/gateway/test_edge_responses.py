"""The gateway's own statuses are declared on every operation of the merged spec."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from codegen.core.problems.schema import PROBLEM_SCHEMA
from gateway.compose import compose, from_dict

OK = {"200": {"description": "ok"}}


def document(rate_limited: bool = False) -> dict[str, Any]:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "items", "version": "1"},
        "paths": {
            "/items": {
                "get": {"operationId": "listItems", "responses": OK},
                "post": {
                    "operationId": "createItem",
                    "requestBody": {"content": {"application/json": {"schema": {}}}},
                    "responses": {**OK, "503": {"description": "the item store is down"}},
                },
            }
        },
    }
    merged = compose([from_dict("items", spec)], rate_limited=rate_limited).document
    assert merged is not None
    return merged


def test_every_operation_declares_the_gateway_refusals() -> None:
    merged = document()
    validate(merged)
    listing = merged["paths"]["/items"]["get"]["responses"]
    creation = merged["paths"]["/items"]["post"]["responses"]
    assert sorted(listing) == ["200", "408", "414", "431", "503"]  # no body: no 413
    assert sorted(creation) == ["200", "408", "413", "414", "431", "503"]
    assert creation["503"] == {"description": "the item store is down"}  # the service's own
    problem = listing["431"]["content"]["application/problem+json"]["schema"]
    assert problem == PROBLEM_SCHEMA  # the one problem profile


ETAG = {"description": "the entity tag", "schema": {"type": "string"}}


def test_a_get_with_a_validator_declares_304() -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "items", "version": "1"},
        "paths": {
            "/items": {"get": {"operationId": "listItems", "responses": OK}},
            "/items/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
                "get": {
                    "operationId": "getItem",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"ETag": ETAG, "Link": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {}}},
                        }
                    },
                },
                "put": {
                    "operationId": "putItem",
                    "responses": {"200": {"$ref": "#/components/responses/Item"}},
                },
            },
            "/shared/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
                "get": {
                    "operationId": "getShared",
                    "responses": {"200": {"$ref": "#/components/responses/Item"}},
                },
            },
        },
        "components": {
            "responses": {
                "Item": {"description": "ok", "headers": {"last-modified": {"schema": {}}}}
            }
        },
    }
    merged = compose([from_dict("items", spec)]).document
    assert merged is not None
    validate(merged)
    paths = merged["paths"]
    assert paths["/items/{id}"]["get"]["responses"]["304"] == {
        "description": "The representation has not changed since the client's copy "
        "(a conditional GET).",
        "headers": {"ETag": ETAG},  # the validators only, no content
    }
    shared = paths["/shared/{id}"]["get"]["responses"]["304"]
    assert shared["headers"] == {"last-modified": {"schema": {}}}  # through the $ref
    assert "304" not in paths["/items"]["get"]["responses"]  # no validator
    assert "304" not in paths["/items/{id}"]["put"]["responses"]  # not a read


def test_a_rate_limited_gateway_declares_429_with_retry_after() -> None:
    assert "429" not in document()["paths"]["/items"]["get"]["responses"]
    merged = document(rate_limited=True)
    validate(merged)
    for method in ("get", "post"):
        limited = merged["paths"]["/items"][method]["responses"]["429"]
        assert limited["content"]["application/problem+json"]["schema"] == PROBLEM_SCHEMA
        assert limited["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 0}
