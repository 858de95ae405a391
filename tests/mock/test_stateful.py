"""``--stateful``: a create is remembered under the path its Location names;
reading it returns what was created, PATCH updates it, DELETE removes it (then
404). Once in the engine, once through ``specfirst serve --mock --stateful``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from codegen.designer.mock.responder import MockRequest
from codegen.designer.mock.state import MockEngine, engine_for_spec, item_templates, overlay
from tests.conftest import free_port
from tests.mock.pets import PETS
from tests.mock.servers import SPECFIRST, running


@pytest.fixture
def engine(write_spec: Callable[[str], Path]) -> MockEngine:
    return engine_for_spec(write_spec(PETS).as_posix(), seed=8, stateful=True)


def call(engine: MockEngine, method: str, template: str, path: str, body: object = None):  # type: ignore[no-untyped-def]
    raw = json.dumps(body).encode() if body is not None else b""
    return engine.answer(method, template, MockRequest(method, path, body=raw))


def test_item_templates_come_from_collections_with_a_post(engine: MockEngine) -> None:
    assert item_templates(list(engine.operations.values())) == {"/pets/{petId}": ("/pets", "petId")}


def test_create_then_read_update_delete(engine: MockEngine) -> None:
    created = call(engine, "post", "/pets", "/pets", {"name": "Rex", "tag": "dog"})
    assert created.status == 201
    data = json.loads(created.body)
    assert data["name"] == "Rex" and data["tag"] == "dog"
    assert isinstance(data["id"], int)  # readOnly, generated
    location = created.headers["Location"]
    assert location == f"/pets/{data['id']}"  # the id the link names ($response.body#/id)

    read = call(engine, "get", "/pets/{petId}", location)
    assert (read.status, json.loads(read.body)) == (200, data)

    patched = call(engine, "patch", "/pets/{petId}", location, {"name": "Max"})
    assert json.loads(patched.body) == {**data, "name": "Max"}
    assert json.loads(call(engine, "get", "/pets/{petId}", location).body)["name"] == "Max"

    assert call(engine, "delete", "/pets/{petId}", location).status == 204
    assert call(engine, "get", "/pets/{petId}", location).status == 404
    assert call(engine, "delete", "/pets/{petId}", location).status == 404


def test_an_unknown_item_is_404_when_declared(engine: MockEngine) -> None:
    assert call(engine, "get", "/pets/{petId}", "/pets/999").status == 404


def test_a_sent_value_the_schema_rejects_is_not_stored(engine: MockEngine) -> None:
    created = json.loads(call(engine, "post", "/pets", "/pets", {"name": "x" * 50}).body)
    assert len(created["name"]) <= 20


def test_without_stateful_reads_answer_examples(write_spec: Callable[[str], Path]) -> None:
    stateless = engine_for_spec(write_spec(PETS).as_posix())
    call(stateless, "post", "/pets", "/pets", {"name": "Rex"})
    assert json.loads(call(stateless, "get", "/pets/{petId}", "/pets/1").body)["name"] == "Rex"
    assert call(stateless, "get", "/pets/{petId}", "/pets/999").status == 200


def test_overlay_completes_sent_values_from_generated_ones() -> None:
    generated = {"id": 1, "lines": [{"sku": "a", "qty": 1}], "name": "g"}
    sent = {"lines": [{"qty": 5}, {"qty": 6}], "name": "s"}
    assert overlay(generated, sent) == {
        "id": 1,
        "lines": [{"sku": "a", "qty": 5}, {"sku": "a", "qty": 6}],
        "name": "s",
    }


@pytest.mark.e2e
def test_stateful_serve_process_returns_what_was_created(
    write_spec: Callable[[str], Path], tmp_path: Path
) -> None:
    spec = write_spec(PETS)
    port = free_port()
    argv = [*SPECFIRST, "serve", str(spec), "--mock", "--stateful", "--port", str(port)]
    with running(argv, port, tmp_path / "serve.log"):
        base = f"http://127.0.0.1:{port}"
        created = httpx.post(f"{base}/pets", json={"name": "Rex", "tag": "cat"}, timeout=10)
        assert created.status_code == 201, created.text
        location = created.headers["location"]
        read = httpx.get(base + location, timeout=10)
        assert read.status_code == 200
        assert read.json() == created.json()
        assert read.json()["name"] == "Rex"
        invalid = httpx.post(f"{base}/pets", json={"name": 5}, timeout=10)
        assert invalid.status_code == 400  # the runtime validates requests first
        prefer = httpx.get(base + location, headers={"Prefer": "code=418"}, timeout=10)
        assert prefer.status_code == 400
        assert prefer.headers["content-type"] == "application/problem+json"
        assert "declares only 200, 404" in prefer.json()["detail"]


LINKED = """
openapi: 3.1.0
info: {title: Linked, version: "1"}
paths:
  /users/{userId}/notes:
    parameters: [{name: userId, in: path, required: true, schema: {type: string}}]
    post:
      operationId: addNote
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
      responses:
        "201":
          description: created
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
          links:
            Read: {operationId: readNote, parameters: {noteKey: $response.body#/key}}
  /users/{userId}/note-archive/{noteKey}:
    parameters:
      - {name: userId, in: path, required: true, schema: {type: string}}
      - {name: noteKey, in: path, required: true, schema: {type: string}}
    get:
      operationId: readNote
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
        "404": {description: missing}
components:
  schemas:
    Note:
      type: object
      required: [key, text]
      properties:
        key: {type: string, readOnly: true, pattern: "^n[0-9]{4}$"}
        text: {type: string}
"""


def test_a_link_names_the_item_path_even_elsewhere(write_spec: Callable[[str], Path]) -> None:
    engine = engine_for_spec(write_spec(LINKED).as_posix(), stateful=True)
    request = MockRequest(
        "post", "/api/users/u1/notes", body=b'{"text": "hi"}', path_params={"userId": "u1"}
    )
    created = json.loads(engine.answer("post", "/users/{userId}/notes", request).body)
    assert created["text"] == "hi"
    path = f"/api/users/u1/note-archive/{created['key']}"  # mount prefix kept
    read = engine.answer("get", "/users/{userId}/note-archive/{noteKey}", MockRequest("get", path))
    assert (read.status, json.loads(read.body)) == (200, created)
    other = "/api/users/u2/note-archive/" + created["key"]
    missing = engine.answer(
        "get", "/users/{userId}/note-archive/{noteKey}", MockRequest("get", other)
    )
    assert missing.status == 404
