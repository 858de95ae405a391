"""Seeding from the spec: creators, synthesised bodies, link expressions, bindings."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from codegen.verify.contract.examples import MISSING, synthesize
from codegen.verify.contract.seed import (
    SeedApi,
    creators,
    evaluate,
    schemathesis_bindings,
    seed_from_spec,
)

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/shelves": {
            "post": {
                "operationId": "createShelf",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Shelf"}}
                    }
                },
                "responses": {
                    "201": {
                        "description": "ok",
                        "links": {
                            "Get": {
                                "operationId": "getShelf",
                                "parameters": {"shelfId": "$response.body#/id"},
                            }
                        },
                    }
                },
            }
        },
        "/books": {
            "post": {
                "operationId": "createBook",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Book"}}
                    }
                },
                "responses": {
                    "201": {
                        "description": "ok",
                        "links": {
                            "Get": {
                                "operationId": "getBook",
                                "parameters": {"bookId": "$response.body#/id"},
                            }
                        },
                    }
                },
            }
        },
        "/shelves/{shelfId}": {
            "parameters": [
                {"name": "shelfId", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {"operationId": "getShelf", "responses": {"200": {"description": "ok"}}},
        },
        "/books/{bookId}": {
            "get": {
                "operationId": "getBook",
                "parameters": [
                    {"name": "bookId", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Shelf": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "name": {"type": "string", "examples": ["Fiction"]},
                },
            },
            "Book": {
                "type": "object",
                "required": ["title", "shelf_id"],
                "properties": {
                    "title": {"type": "string", "minLength": 3},
                    "shelf_id": {"type": "string", "format": "uuid"},
                    "pages": {"type": "integer", "minimum": 1, "default": 100},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


def resolve(node: Any) -> Any:
    if isinstance(node, dict) and "$ref" in node:
        return SPEC["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_creators_are_collection_operations_with_links() -> None:
    found = [(c.method, c.path, c.links) for c in creators(SPEC)]
    assert found == [
        ("post", "/shelves", (("getShelf", "shelfId", "$response.body#/id"),)),
        ("post", "/books", (("getBook", "bookId", "$response.body#/id"),)),
    ]


@pytest.mark.parametrize(
    ("schema", "known", "expected"),
    [
        ({"$ref": "#/components/schemas/Shelf"}, {}, {"name": "Fiction"}),
        (
            {"$ref": "#/components/schemas/Book"},
            {"shelfid": "S1"},
            {"title": "xxx", "shelf_id": "S1", "pages": 100},
        ),
        (
            {"type": "array", "minItems": 1, "items": {"type": "integer", "exclusiveMinimum": 4}},
            {},
            [5],
        ),
        ({"oneOf": [{"type": "boolean"}, {"type": "string"}]}, {}, False),
        ({"type": "string", "format": "date"}, {}, "2024-01-01"),
        ({"type": "string", "readOnly": True}, {}, MISSING),
    ],
)
def test_synthesize(schema: Any, known: dict[str, Any], expected: Any) -> None:
    assert synthesize(resolve, schema, known) == expected


def test_evaluate_runtime_expressions() -> None:
    response = httpx.Response(
        201, json={"id": "a1", "items": [{"sku": "x"}]}, headers={"Location": "/b/1"}
    )
    assert evaluate("$response.body#/id", response) == "a1"
    assert evaluate("$response.body#/items/0/sku", response) == "x"
    assert evaluate("$response.header.Location", response) == "/b/1"
    assert evaluate("$request.body#/id", response) is None


def test_seed_from_spec_creates_in_dependency_order_and_remembers_links() -> None:
    """``createBook`` needs a shelf id: it fails first, then succeeds with the created shelf."""
    shelves: list[str] = []
    sent: list[tuple[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = httpx.Response(200, content=request.content).json()
        sent.append((request.url.path, body))
        if request.url.path == "/shelves":
            shelves.append(f"shelf-{len(shelves) + 1}")
            return httpx.Response(201, json={"id": shelves[-1]})
        if body.get("shelf_id") not in shelves:
            return httpx.Response(422, json={})
        return httpx.Response(201, json={"id": "book-1"})

    api = SeedApi(
        client=httpx.Client(transport=httpx.MockTransport(handler), base_url="http://svc")
    )
    assert seed_from_spec({**SPEC, "paths": dict(reversed(list(SPEC["paths"].items())))}, api) == []
    assert api.remembered == {"path.shelfId": ["shelf-1"], "path.bookId": ["book-1"]}
    assert [path for path, _ in sent] == ["/books", "/shelves", "/books"]


def test_failed_creators_are_reported() -> None:
    api = SeedApi(
        client=httpx.Client(
            transport=httpx.MockTransport(lambda r: httpx.Response(400)), base_url="http://s"
        )
    )
    assert seed_from_spec(SPEC, api) == ["POST /books: 400", "POST /shelves: 400"]


def test_bindings_use_dictionaries_with_probability() -> None:
    assert schemathesis_bindings({"path.bookId": ["b1", "b2"], "query.q": []}) == {
        "dictionaries": {"seed0": {"values": ["b1", "b2"]}},
        "parameters": {"path.bookId": {"dictionary": "seed0", "probability": 0.5}},
    }
    assert schemathesis_bindings({}) == {}
