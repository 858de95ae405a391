"""The items a spec has: one per operation, status, parameter presence, enum value,
body property, branch and link, each located in the spec."""

from __future__ import annotations

from codegen.verify.coverage.kinds import Kind
from codegen.verify.coverage.model import CoverageModel
from tests.coverage.conftest import SPEC


def line_of(text: str) -> int:
    """The 1-based line of ``text`` in the spec as written to disk (leading blank line dropped)."""
    lines = SPEC.lstrip().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def ids(model: CoverageModel, kind: Kind) -> set[str]:
    return {item.id for item in model.items.values() if item.kind is kind}


def test_operations_statuses_and_links(model: CoverageModel) -> None:
    assert ids(model, Kind.OPERATIONS) == {"GET /pets", "POST /pets", "GET /pets/{petId}"}
    assert ids(model, Kind.STATUSES) == {
        "GET /pets status 200",
        "GET /pets status 4XX",
        "POST /pets status 201",
        "POST /pets status default",
        "GET /pets/{petId} status 200",
        "GET /pets/{petId} status 404",
    }
    assert ids(model, Kind.LINKS) == {"POST /pets link 201 GetPet"}


def test_parameters_present_absent_and_enum_values(model: CoverageModel) -> None:
    assert ids(model, Kind.PARAMETERS) == {
        "GET /pets query parameter kind present",
        "GET /pets query parameter kind absent",
        "GET /pets query parameter kind = cat",
        "GET /pets query parameter kind = dog",
        "GET /pets header parameter X-Trace present",
        "GET /pets header parameter X-Trace absent",
    }  # a path parameter is always sent: no presence items


def test_properties_follow_the_direction_and_fold_arrays(model: CoverageModel) -> None:
    properties = ids(model, Kind.PROPERTIES)
    assert {
        "POST /pets request property /name",
        'POST /pets request /size = "small"',
        'POST /pets request /size = "large"',
        "POST /pets request property /traits/meows",
        "POST /pets response 201 property /id",
        "GET /pets response 200 property /*/name",
    } <= properties
    # readOnly is not sent, writeOnly is not received
    assert "POST /pets response 201 property /secret" not in properties
    assert "GET /pets response 200 property /*/secret" not in properties


def test_branches_are_named_after_their_schema(model: CoverageModel) -> None:
    assert ids(model, Kind.BRANCHES) == {
        "POST /pets request /traits oneOf[0] (Cat)",
        "POST /pets request /traits oneOf[1] (Dog)",
    }


def test_every_item_points_into_the_spec(model: CoverageModel) -> None:
    size = model.items['POST /pets request /size = "large"'].location
    assert size is not None
    assert (size.file.endswith("pets.yaml"), size.pointer) == (
        True,
        "/components/schemas/NewPet/properties/size/enum/1",
    )
    assert size.line == line_of("size: {type: string, enum: [small, large]}")
    status = model.items["GET /pets/{petId} status 404"].location
    assert status is not None and status.pointer == "/paths/~1pets~1{petId}/get/responses/404"
    assert status.line == line_of('"404": {description: missing}')


def test_only_keeps_the_chosen_operations(model: CoverageModel) -> None:
    only = model.only(["getPet"])
    assert set(only.operations) == {"GET /pets/{petId}"}
    assert {item.operation for item in only.items.values()} == {"GET /pets/{petId}"}
