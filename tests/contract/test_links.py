"""Links derived for the stateful phase (:mod:`codegen.verify.contract.links`)."""

from __future__ import annotations

import copy
from typing import Any

from codegen.verify.contract.links import with_derived_links

IF_MATCH = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"}}
ETAG = {"ETag": {"schema": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things": {
            "post": {
                "operationId": "createThing",
                "responses": {
                    "201": {
                        "description": "created",
                        "headers": ETAG,
                        "links": {
                            "GetIt": {
                                "operationId": "getThing",
                                "parameters": {"thingId": "$response.body#/id"},
                            }
                        },
                    }
                },
            }
        },
        "/things/{thingId}": {
            "get": {
                "operationId": "getThing",
                "responses": {"200": {"description": "ok", "headers": ETAG}},
            },
            "patch": {
                "operationId": "updateThing",
                "parameters": [{"$ref": "#/components/parameters/IfMatch"}],
                "responses": {"200": {"$ref": "#/components/responses/Changed"}},
            },
            "delete": {"operationId": "deleteThing", "responses": {"204": {"description": "-"}}},
        },
    },
    "components": {
        "parameters": {"IfMatch": IF_MATCH},
        "responses": {"Changed": {"description": "changed", "headers": ETAG}},
    },
}


def links(document: dict[str, Any], path: str, method: str, status: str) -> dict[str, Any]:
    return document["paths"][path][method]["responses"][status].get("links", {})


def test_a_created_resource_links_to_every_operation_on_it() -> None:
    derived = with_derived_links(SPEC)
    created = links(derived, "/things", "post", "201")
    assert (
        created["GetIt"] == SPEC["paths"]["/things"]["post"]["responses"]["201"]["links"]["GetIt"]
    )
    assert created["DerivedDeleteThing"] == {
        "operationId": "deleteThing",
        "parameters": {"thingId": "$response.body#/id"},
    }
    assert created["DerivedUpdateThing"]["parameters"] == {
        "thingId": "$response.body#/id",
        "header.If-Match": "$response.header.ETag",
    }


def test_a_response_with_an_etag_links_to_the_conditional_operations_of_its_path() -> None:
    derived = with_derived_links(SPEC)
    expected = {
        "DerivedUpdateThing": {
            "operationId": "updateThing",
            "parameters": {
                "thingId": "$request.path.thingId",
                "header.If-Match": "$response.header.ETag",
            },
        }
    }
    assert links(derived, "/things/{thingId}", "get", "200") == expected
    # a shared response component gets its links in the operation's own copy
    assert links(derived, "/things/{thingId}", "patch", "200") == expected
    assert "links" not in derived["components"]["responses"]["Changed"]
    assert links(derived, "/things/{thingId}", "delete", "204") == {}  # no ETag, no declared link


def test_a_declared_link_to_a_conditional_operation_sends_the_etag_and_the_spec_is_kept() -> None:
    spec = copy.deepcopy(SPEC)
    declared = spec["paths"]["/things"]["post"]["responses"]["201"]["links"]
    declared["ChangeIt"] = {
        "operationId": "updateThing",
        "parameters": {"thingId": "$response.body#/id"},
    }
    before = copy.deepcopy(spec)
    created = links(with_derived_links(spec), "/things", "post", "201")
    assert created["ChangeIt"]["parameters"]["header.If-Match"] == "$response.header.ETag"
    assert "DerivedUpdateThing" not in created  # the declared link is the one to it
    assert spec == before
