"""What a case sent and what came back marks exactly the items it covers."""

from __future__ import annotations

import schemathesis
from schemathesis.generation.stateful.state_machine import Transition

from codegen.verify.coverage.model import CoverageModel
from codegen.verify.coverage.recorder import CoverageRecorder
from tests.coverage.conftest import response, scenario


def test_parameters_present_absent_and_enum_values(
    model: CoverageModel, schema: schemathesis.BaseSchema
) -> None:
    recorder = CoverageRecorder(model)
    operation = schema["/pets"]["GET"]
    recorder.observe(
        scenario(
            (operation.Case(query={"kind": "dog"}, headers={"x-trace": "t"}), response(200, [])),
            (operation.Case(query={}), response(404)),
        )
    )
    assert {
        "GET /pets query parameter kind present",
        "GET /pets query parameter kind absent",
        "GET /pets query parameter kind = dog",
        "GET /pets header parameter X-Trace present",  # header names fold case
        "GET /pets header parameter X-Trace absent",
        "GET /pets status 200",
        "GET /pets status 4XX",  # 404 falls in the declared range
        "GET /pets",  # a declared 2xx came back
    } <= recorder.hits
    assert "GET /pets query parameter kind = cat" not in recorder.hits


def test_an_error_alone_does_not_cover_the_operation(
    model: CoverageModel, schema: schemathesis.BaseSchema
) -> None:
    recorder = CoverageRecorder(model)
    case = schema["/pets/{petId}"]["GET"].Case(path_parameters={"petId": 1})
    recorder.observe(scenario((case, response(404))))
    assert "GET /pets/{petId} status 404" in recorder.hits
    assert "GET /pets/{petId}" not in recorder.hits


def test_body_properties_enums_and_branches(
    model: CoverageModel, schema: schemathesis.BaseSchema
) -> None:
    recorder = CoverageRecorder(model)
    operation = schema["/pets"]["POST"]
    case = operation.Case(
        body={"name": "rex", "size": "large", "traits": {"barks": True}},
        media_type="application/json",
    )
    recorder.observe(scenario((case, response(500, {"id": 3, "name": "rex"}))))
    hits = recorder.hits
    assert {
        "POST /pets request property /name",
        'POST /pets request /size = "large"',
        "POST /pets request /traits oneOf[1] (Dog)",
        "POST /pets request property /traits/barks",
        "POST /pets status default",  # no 500 declared: the default response
    } <= hits
    assert "POST /pets request /traits oneOf[0] (Cat)" not in hits
    assert 'POST /pets request /size = "small"' not in hits
    assert "POST /pets" not in hits


def test_response_properties_are_read_from_the_declared_media_type(
    model: CoverageModel, schema: schemathesis.BaseSchema
) -> None:
    recorder = CoverageRecorder(model)
    operation = schema["/pets"]["GET"]
    recorder.observe(scenario((operation.Case(), response(200, [{"name": "a"}, {"nope": 1}]))))
    assert "GET /pets response 200 property /*/name" in recorder.hits
    assert "GET /pets response 200 property /*/id" not in recorder.hits


def test_a_request_without_a_response_counts_only_what_was_sent(
    model: CoverageModel, schema: schemathesis.BaseSchema
) -> None:
    recorder = CoverageRecorder(model)
    recorder.observe(scenario((schema["/pets"]["GET"].Case(query={"kind": "cat"}), None)))
    assert recorder.hits == {
        "GET /pets query parameter kind present",
        "GET /pets query parameter kind = cat",
        "GET /pets header parameter X-Trace absent",
    }  # a network error: the request went out, no response came back


def test_a_followed_link_is_covered(model: CoverageModel, schema: schemathesis.BaseSchema) -> None:
    recorder = CoverageRecorder(model)
    source = schema["/pets"]["POST"].Case(body={"name": "a"}, media_type="application/json")
    target = schema["/pets/{petId}"]["GET"].Case(path_parameters={"petId": 1})
    record = scenario((source, response(201, {"id": 1})))
    record.record_case(
        case=target,
        parent_id=source.id,
        transition=Transition(
            id="POST /pets -> [201] GetPet -> GET /pets/{petId}",
            parent_id=source.id,
            is_inferred=False,
            parameters={},
            request_body=None,
        ),
        is_transition_applied=True,
    )
    record.record_response(case_id=target.id, response=response(200, {"id": 1}))
    recorder.observe(record)
    assert {"POST /pets link 201 GetPet", "GET /pets/{petId}", "POST /pets"} <= recorder.hits
