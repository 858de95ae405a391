"""Seeding from the spec: creators, synthesised bodies, link expressions, bindings."""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path
from typing import Any

import httpx

from codegen.core.spec.loader import LoadedSpec, load_spec
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
                "required": ["id", "name", "code"],
                "properties": {
                    "id": {"type": "string", "format": "uuid", "readOnly": True},
                    "name": {"type": "string", "examples": ["Fiction"]},
                    "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$", "maxLength": 6},
                    "floor": {"type": "integer", "maximum": -1},
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


def loaded_spec(tmp_path: Path, spec: dict[str, Any]) -> LoadedSpec:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    loaded, diagnostics = load_spec(path)
    assert loaded is not None, diagnostics
    return loaded


def recording_api(sent: list[tuple[str, Any]], answer: Any) -> SeedApi:
    """A SeedApi whose service records each body and answers with ``answer(path, body)``."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        sent.append((request.url.path, body))
        return answer(request.url.path, body)

    return SeedApi(
        client=httpx.Client(transport=httpx.MockTransport(handler), base_url="http://svc")
    )


def test_creators_are_collection_operations_with_links() -> None:
    found = [(c.method, c.path, c.links) for c in creators(SPEC)]
    assert found == [
        ("post", "/shelves", (("getShelf", "shelfId", "$response.body#/id"),)),
        ("post", "/books", (("getBook", "bookId", "$response.body#/id"),)),
    ]


def test_bodies_prefer_examples_reuse_ids_and_leave_read_only_out(tmp_path: Path) -> None:
    shelf = str(uuid.UUID(int=7, version=4))
    sent: list[tuple[str, Any]] = []

    def answer(path: str, body: Any) -> httpx.Response:
        return httpx.Response(201, json={"id": shelf if path == "/shelves" else "b1"})

    api = recording_api(sent, answer)
    assert seed_from_spec(loaded_spec(tmp_path, SPEC), api) == []
    bodies = dict(sent)
    # readOnly `id` is left out although required; `name` is its example; `code` follows
    # its pattern and maxLength; the optional `floor` (no example) is left out
    assert set(bodies["/shelves"]) == {"name", "code"}
    assert bodies["/shelves"]["name"] == "Fiction"
    assert re.fullmatch("[A-Z]{3}-[0-9]{2}", bodies["/shelves"]["code"])
    # the shelf created first is reused by name (shelf_id ~ shelfId); `pages` is its default
    assert bodies["/books"] == {"title": "xxx", "shelf_id": shelf, "pages": 100}


def test_a_body_no_value_satisfies_is_reported_not_sent(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Shelf"]["properties"]["code"]["maxLength"] = 2
    sent: list[tuple[str, Any]] = []
    api = recording_api(sent, lambda path, body: httpx.Response(201, json={"id": "x"}))
    notes = seed_from_spec(loaded_spec(tmp_path, spec), api)
    assert [path for path, _ in sent] == ["/books"]
    assert len(notes) == 1 and notes[0].startswith("POST /shelves: no valid body: ")


def test_evaluate_runtime_expressions() -> None:
    response = httpx.Response(
        201, json={"id": "a1", "items": [{"sku": "x"}]}, headers={"Location": "/b/1"}
    )
    assert evaluate("$response.body#/id", response) == "a1"
    assert evaluate("$response.body#/items/0/sku", response) == "x"
    assert evaluate("$response.header.Location", response) == "/b/1"
    assert evaluate("$request.body#/id", response) is None


def test_seed_from_spec_creates_in_dependency_order_and_remembers_links(tmp_path: Path) -> None:
    """``createBook`` needs a shelf id: it fails first, then succeeds with the created shelf."""
    shelves: list[str] = []
    sent: list[tuple[str, Any]] = []

    def answer(path: str, body: Any) -> httpx.Response:
        if path == "/shelves":
            shelves.append(str(uuid.UUID(int=len(shelves) + 1, version=4)))
            return httpx.Response(201, json={"id": shelves[-1]})
        if body.get("shelf_id") not in shelves:
            return httpx.Response(422, json={})
        return httpx.Response(201, json={"id": "book-1"})

    api = recording_api(sent, answer)
    reordered = {**SPEC, "paths": dict(reversed(list(SPEC["paths"].items())))}
    assert seed_from_spec(loaded_spec(tmp_path, reordered), api) == []
    assert api.remembered == {"path.shelfId": shelves, "path.bookId": ["book-1"]}
    assert len(shelves) == 1
    assert [path for path, _ in sent] == ["/books", "/shelves", "/books"]


def test_failed_creators_are_reported(tmp_path: Path) -> None:
    api = recording_api([], lambda path, body: httpx.Response(400))
    assert seed_from_spec(loaded_spec(tmp_path, SPEC), api) == [
        "POST /books: 400",
        "POST /shelves: 400",
    ]


def test_bindings_use_dictionaries_with_probability() -> None:
    assert schemathesis_bindings({"path.bookId": ["b1", "b2"], "query.q": []}) == {
        "dictionaries": {"seed0": {"values": ["b1", "b2"]}},
        "parameters": {"path.bookId": {"dictionary": "seed0", "probability": 0.5}},
    }
    assert schemathesis_bindings({}) == {}
