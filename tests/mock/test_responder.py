"""Choosing the answer: the lowest 2xx by default, ``Prefer: code=`` and
``Prefer: example=``, examples before generated data, a broken example
replaced (with one warning), required headers, determinism by seed."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.core.validator import validation_error
from codegen.designer.mock.responder import MockRequest, PreferenceError, parse_prefer
from codegen.designer.mock.state import MockEngine, engine_for_spec
from tests.mock.pets import PETS


@pytest.fixture
def engine(write_spec: Callable[[str], Path]) -> MockEngine:
    return engine_for_spec(write_spec(PETS).as_posix(), seed=4)


def ask(engine: MockEngine, method: str, template: str, path: str, **kw: str) -> tuple[int, object]:
    answer = engine.answer(method, template, MockRequest(method, path, **kw))  # type: ignore[arg-type]
    return answer.status, json.loads(answer.body) if answer.body else None


def test_the_first_example_answers_by_default(engine: MockEngine) -> None:
    assert ask(engine, "get", "/pets/{petId}", "/pets/1") == (
        200,
        {"id": 1, "name": "Rex", "tag": "dog"},
    )


def test_prefer_code_selects_the_response_and_its_example(engine: MockEngine) -> None:
    assert ask(engine, "get", "/pets/{petId}", "/pets/1", prefer="code=404") == (
        404,
        {"title": "Not Found", "status": 404},
    )


def test_prefer_example_selects_a_named_example(engine: MockEngine) -> None:
    status, body = ask(engine, "get", "/pets/{petId}", "/pets/1", prefer="example=rex")
    assert (status, body) == (200, {"id": 1, "name": "Rex", "tag": "dog"})


def test_an_example_its_schema_rejects_is_replaced_by_valid_data_and_warned_once(
    engine: MockEngine, caplog: pytest.LogCaptureFixture
) -> None:
    operation = engine.operations[("get", "/pets/{petId}")]
    schema = operation.responses["200"].media[0].schema
    with caplog.at_level(logging.WARNING, logger="specfirst.mock"):
        for _ in range(3):
            _, body = ask(engine, "get", "/pets/{petId}", "/pets/1", prefer="example=broken")
            assert body != {"id": "not a number", "name": "Oops"}
            assert validation_error(schema, body) is None
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert "example 'broken' of response 200" in warnings[0]
    assert "does not match its schema" in warnings[0]


@pytest.mark.parametrize(
    ("prefer", "message"),
    [
        ("code=418", "Prefer: code=418: GET /pets/{petId} declares only 200, 404."),
        ("code=abc", "Prefer: code=abc is not an HTTP status code."),
        (
            "example=nope",
            "Prefer: example=nope: no response declares an example of that name "
            "(declared: broken, example, rex).",
        ),
    ],
)
def test_an_impossible_preference_is_a_clear_error(
    engine: MockEngine, prefer: str, message: str
) -> None:
    with pytest.raises(PreferenceError) as caught:
        ask(engine, "get", "/pets/{petId}", "/pets/1", prefer=prefer)
    assert str(caught.value) == message


def test_without_example_data_is_generated_and_valid(engine: MockEngine) -> None:
    status, body = ask(engine, "get", "/pets", "/pets")
    schema = engine.operations[("get", "/pets")].responses["200"].media[0].schema
    assert status == 200
    assert isinstance(body, list) and body
    assert validation_error(schema, body) is None
    assert all("secret" not in pet for pet in body)  # writeOnly


def test_required_headers_are_produced_and_valid(engine: MockEngine) -> None:
    answer = engine.answer("post", "/pets", MockRequest("post", "/pets", body=b'{"name": "a"}'))
    assert answer.status == 201
    assert set(answer.headers) == {"Location", "ETag"}
    assert validation_error({"pattern": '^"[a-f0-9]{8}"$'}, answer.headers["ETag"]) is None


def test_a_generated_problem_states_its_status(engine: MockEngine) -> None:
    status, body = ask(engine, "post", "/pets", "/pets", prefer="code=400")
    assert status == 400
    assert isinstance(body, dict) and body["status"] == 400


def test_same_request_and_seed_same_bytes(write_spec: Callable[[str], Path]) -> None:
    spec = write_spec(PETS).as_posix()
    first = engine_for_spec(spec, seed=1).answer("get", "/pets", MockRequest("get", "/pets"))
    again = engine_for_spec(spec, seed=1).answer("get", "/pets", MockRequest("get", "/pets"))
    other = engine_for_spec(spec, seed=2).answer("get", "/pets", MockRequest("get", "/pets"))
    query = engine_for_spec(spec, seed=1).answer(
        "get", "/pets", MockRequest("get", "/pets", query="page=2")
    )
    assert first.body == again.body
    assert first.body != other.body
    assert first.body != query.body


def test_parse_prefer() -> None:
    assert parse_prefer('code=404; example="gone", dynamic=true') == {
        "code": "404",
        "example": "gone",
        "dynamic": "true",
    }
