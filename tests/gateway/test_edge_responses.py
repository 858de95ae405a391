"""The gateway's own statuses are declared on every operation of the merged spec."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from codegen.core.problems.schema import PROBLEM_SCHEMA
from gateway.compose import compose, from_dict

OK = {"200": {"description": "ok"}}


def document() -> dict[str, Any]:
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
    merged = compose([from_dict("items", spec)]).document
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
