"""The synthesizer's policies: examples first, known ids reused, minimal or random values,
which optional properties an object gets; always valid, always the same for one seed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.core.synth import Optional, Policy, Unsatisfiable, Values, key_of, synthesize
from codegen.core.validator import validation_error

MINIMAL = Policy(values=Values.MINIMAL)
SEEDING = Policy(values=Values.MINIMAL, examples=True, optional=Optional.INFORMATIVE)
BOOK: dict[str, Any] = {
    "type": "object",
    "required": ["title", "shelf_id"],
    "properties": {
        "title": {"type": "string", "minLength": 3},
        "shelf_id": {"type": "string", "format": "uuid"},
        "pages": {"type": "integer", "minimum": 1, "default": 100},
        "tags": {"type": "array", "items": {"type": "string"}},
        "genre": {"enum": ["novel", "poetry"]},
    },
}
SHELF_ID = "7d0c4e2a-93a4-4c8e-9d5e-3b6f1c2d4e5f"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer"}, 1),
        ({"type": "integer", "minimum": 10, "maximum": 12}, 10),
        ({"type": "integer", "exclusiveMinimum": 4}, 5),
        ({"type": "integer", "maximum": -3}, -3),
        ({"type": "integer", "multipleOf": 7, "minimum": 50}, 56),
        ({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.5}, 0.25),
        ({"type": "string"}, "x"),
        ({"type": "string", "minLength": 3, "maxLength": 5}, "xxx"),
        ({"type": "string", "maxLength": 0}, ""),
        ({"type": "boolean"}, False),
        ({"type": "array", "items": {"type": "integer"}}, []),
        ({"type": "array", "minItems": 2, "items": {"type": "integer"}}, [1, 1]),
        ({"enum": [None, "b", "a"]}, "b"),
        ({"oneOf": [{"type": "boolean"}, {"type": "string"}]}, False),
        ({"type": ["null", "integer"]}, 1),
    ],
)
def test_minimal_values_are_the_plainest_valid_ones(schema: dict[str, Any], expected: Any) -> None:
    assert synthesize(schema, MINIMAL) == expected


def test_a_minimal_string_still_follows_its_pattern_and_format() -> None:
    assert synthesize({"type": "string", "pattern": "^[A-Z]{3}$"}, MINIMAL).isupper()
    value = synthesize({"type": "string", "format": "uuid"}, MINIMAL)
    assert validation_error({"type": "string", "format": "uuid"}, value) is None


def test_examples_come_first_when_the_policy_prefers_them() -> None:
    schema = {"type": "string", "examples": ["Fiction", "Poetry"], "default": "Other"}
    assert synthesize(schema, SEEDING) == "Fiction"
    assert synthesize({"type": "integer", "default": 7}, SEEDING) == 7
    assert synthesize({"type": "integer", "example": 8}, SEEDING) == 8  # OpenAPI's keyword
    assert synthesize(schema, MINIMAL) == "x"  # not preferred: ignored


def test_an_example_its_schema_rejects_is_passed_over() -> None:
    schema = {"type": "string", "maxLength": 3, "examples": ["too long", "ok"], "default": "no!!"}
    assert synthesize(schema, SEEDING) == "ok"
    assert synthesize({"type": "integer", "minimum": 5, "examples": [1]}, SEEDING) == 5


def test_the_examples_of_a_reference_and_of_its_target_are_all_candidates() -> None:
    schema = {
        "$ref": "#/components/schemas/Name%20Tag",
        "examples": ["given first", "mine"],
        "components": {
            "schemas": {"Name Tag": {"type": "string", "maxLength": 6, "examples": ["theirs"]}}
        },
    }
    assert synthesize(schema, SEEDING) == "mine"
    assert synthesize({**schema, "examples": ["far too long"]}, SEEDING) == "theirs"


def test_known_ids_are_reused_for_properties_of_that_name() -> None:
    policy = Policy(
        values=Values.MINIMAL,
        examples=True,
        optional=Optional.INFORMATIVE,
        known={"shelfid": SHELF_ID},
    )
    assert synthesize(BOOK, policy) == {
        "title": "xxx",
        "shelf_id": SHELF_ID,
        "pages": 100,
        "genre": "novel",
    }


def test_a_known_value_its_schema_rejects_is_not_reused() -> None:
    policy = Policy(values=Values.MINIMAL, known={"shelfid": "S1"})  # not a uuid
    value = synthesize(BOOK, policy)
    assert value["shelf_id"] != "S1"
    assert validation_error(BOOK, value) is None


@pytest.mark.parametrize(
    ("optional", "expected"),
    [
        (Optional.NONE, {"title", "shelf_id"}),
        (Optional.INFORMATIVE, {"title", "shelf_id", "pages", "genre"}),
        (Optional.ALL, {"title", "shelf_id", "pages", "tags", "genre"}),
    ],
)
def test_which_optional_properties_an_object_gets(optional: Optional, expected: set[str]) -> None:
    value = synthesize(BOOK, Policy(values=Values.MINIMAL, optional=optional))
    assert set(value) == expected


def test_optional_properties_stop_at_the_depth_limit() -> None:
    schema = {"type": "object", "properties": {"note": {"type": "string"}}}
    assert synthesize(schema, Policy(max_depth=1)) != {}
    assert synthesize(schema, Policy(max_depth=0)) == {}


def test_a_minimal_choice_that_does_not_validate_falls_back_to_random_valid_data() -> None:
    # "x" is the plainest string, but the schema forbids it: later attempts draw others
    schema = {"type": "string", "not": {"const": "x"}}
    value = synthesize(schema, MINIMAL)
    assert value != "x"
    assert validation_error(schema, value) is None


def test_unsatisfiable_is_raised_when_no_value_is_valid() -> None:
    with pytest.raises(Unsatisfiable):
        synthesize({"type": "string", "minLength": 3, "maxLength": 2}, SEEDING)


def test_key_of_folds_case_and_separators() -> None:
    assert key_of("category_id") == key_of("categoryId") == key_of("CategoryID") == "categoryid"


POLICIES = st.builds(
    Policy,
    values=st.sampled_from(Values),
    seed=st.integers(0, 2**32),
    direction=st.sampled_from(["request", "response"]),
    examples=st.booleans(),
    optional=st.sampled_from(Optional),
)


@settings(max_examples=60, deadline=None)
@given(policy=POLICIES)
def test_property_every_policy_gives_a_valid_and_repeatable_value(policy: Policy) -> None:
    value = synthesize(BOOK, policy)
    assert validation_error(BOOK, value) is None
    assert synthesize(BOOK, policy) == value
