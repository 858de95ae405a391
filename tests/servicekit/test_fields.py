"""Strict fields, JSON semantics, formats and ECMA patterns, table-driven."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import uuid
from typing import Any

import pytest
from rest_framework.exceptions import ValidationError
from servicekit.contract import fields as f
from servicekit.contract.jsonvalues import first_duplicate, json_equal, to_json, type_allowed
from servicekit.problems import errors_from_drf

from codegen.core.ecma import pattern_matches, translate
from tests.servicekit.harness import generate_package

D = decimal.Decimal


def outcome(field: Any, value: Any) -> Any:
    try:
        return ("ok", field.run_validation(value))
    except ValidationError as exc:
        return ("error", [(e["pointer"], e["detail"]) for e in errors_from_drf(exc.detail)])


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (f.String(), 123, ("error", [("", "Must be of type string.")])),
        (f.Integer(), "1", ("error", [("", "Must be of type integer.")])),
        (f.Integer(), True, ("error", [("", "Must be of type integer.")])),
        (f.Integer(), 2.0, ("ok", 2)),
        (f.Integer(), 2.5, ("error", [("", "Must be of type integer.")])),
        (f.Number(), D("2.5"), ("ok", D("2.5"))),
        (f.Number(format="double"), D("2.5"), ("ok", 2.5)),
        (f.Number(format="float"), 2, ("ok", 2.0)),
        (f.Number(), 2, ("ok", D(2))),
        (f.Number(nullable=True), 2, ("ok", D(2))),
        (f.Boolean(), 0, ("error", [("", "Must be of type boolean.")])),
        (f.String(), None, ("error", [("", "Must not be null.")])),
        (f.String(nullable=True), None, ("ok", None)),
        (f.String(nullable=True, enum=["a"]), None, ("error", [("", "Must not be null.")])),
        (f.AnyValue(const=None), None, ("ok", None)),
        (f.AnyValue(enum=[1, "a"]), 1.0, ("ok", 1.0)),
        (f.AnyValue(enum=[1]), True, ("error", [("", "Must be one of: 1.")])),
        (f.AnyValue(const={"a": [1]}), {"a": [1.0]}, ("ok", {"a": [1.0]})),
        (
            f.String(min_length=2),
            "é",
            ("error", [("", "Ensure this value has at least 2 characters.")]),
        ),
        (f.String(pattern="^\\p{Lu}"), "Émile", ("ok", "Émile")),
        (f.String(pattern="^a$"), "a\n", ("error", [("", "Must match the pattern ^a$.")])),
        (
            f.Number(minimum=1, exclusive_maximum=2),
            2,
            ("error", [("", "Ensure this value is less than 2.")]),
        ),
        (
            f.Number(exclusive_minimum=0),
            0,
            ("error", [("", "Ensure this value is greater than 0.")]),
        ),
        (f.Number(multiple_of=D("0.1")), D("0.3"), ("ok", D("0.3"))),
        (
            f.Number(multiple_of=D("0.1")),
            D("0.35"),
            ("error", [("", "Must be a multiple of 0.1.")]),
        ),
        (
            f.Integer(format="int32"),
            2**31,
            ("error", [("", "Must be within the int32 range [-2147483648, 2147483647].")]),
        ),
        (
            f.Array(unique_items=True),
            [1, True, 1.0],
            ("error", [("", "Items 0 and 2 are equal; items must be unique.")]),
        ),
        (
            f.Array(items=f.Integer(minimum=0), max_items=1),
            [-1, 2],
            (
                "error",
                [
                    ("", "Ensure this list has at most 1 items (it has 2)."),
                    ("/0", "Ensure this value is greater than or equal to 0."),
                ],
            ),
        ),
        (
            f.Object(additional=f.String(), max_properties=1),
            {"a/b": 1},
            ("error", [("/a~1b", "Must be of type string.")]),
        ),
        (f.String(format="date"), "2024-02-29", ("ok", datetime.date(2024, 2, 29))),
        (
            f.String(format="date"),
            "20240229",
            ("error", [("", "Must be a date in the format YYYY-MM-DD.")]),
        ),
        (
            f.String(format="date-time"),
            "2024-02-29T10:00:00+01:00",
            (
                "ok",
                datetime.datetime(
                    2024, 2, 29, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
                ),
            ),
        ),
        (
            f.String(format="date-time"),
            "9999-12-31T23:59:59-00:01",
            (
                "error",
                [
                    (
                        "",
                        "9999-12-31T23:59:59-00:01 is outside years 0001-9999 in UTC.",
                    )
                ],
            ),
        ),
        (
            f.String(format="date-time"),
            "2024-02-29 10:00:00",
            ("error", [("", "Must be an RFC 3339 date-time, e.g. 2024-01-02T03:04:05Z.")]),
        ),
        (f.String(format="time"), "10:00:00Z", ("ok", datetime.time(10, tzinfo=datetime.UTC))),
        (
            f.String(format="duration"),
            "P1DT2H",
            ("ok", datetime.timedelta(days=1, hours=2)),
        ),
        (f.String(format="duration"), "P2W", ("ok", datetime.timedelta(weeks=2))),
        (f.String(format="duration"), "PT1.5S", ("ok", datetime.timedelta(seconds=1.5))),
        (
            f.String(format="duration"),
            "P1M",
            (
                "error",
                [
                    (
                        "",
                        "Years and months have no fixed length; give the duration in weeks, "
                        "days, hours, minutes and seconds, e.g. P30D.",
                    )
                ],
            ),
        ),
        (f.String(format="decimal"), "12.50", ("ok", D("12.50"))),
        (f.String(format="decimal"), "-1e3", ("ok", D("-1e3"))),
        (
            f.String(format="decimal"),
            "NaN",
            ("error", [("", "Must be a decimal number written as a string, e.g. 12.50.")]),
        ),
        (
            f.String(format="duration"),
            "P",
            ("error", [("", "Must be an ISO 8601 duration, e.g. P1DT2H.")]),
        ),
        (
            f.String(format="uuid"),
            "12345678-1234-5678-1234-567812345678",
            ("ok", uuid.UUID("12345678-1234-5678-1234-567812345678")),
        ),
        (
            f.String(format="uuid"),
            "12345678123456781234567812345678",
            ("error", [("", "Must be a UUID in the 8-4-4-4-12 form.")]),
        ),
        (f.String(format="ipv4"), "256.1.1.1", ("error", [("", "Must be an IPv4 address.")])),
        (f.String(format="ipv6"), "::1", ("ok", ipaddress.IPv6Address("::1"))),
        (f.String(format="ipv4"), "10.0.0.1", ("ok", ipaddress.IPv4Address("10.0.0.1"))),
        (f.String(format="email"), "a@b", ("ok", "a@b")),
        (f.String(format="uri"), "relative/path", ("error", [("", "Must be an absolute URI.")])),
        (f.String(format="byte"), "aGk=", ("ok", b"hi")),
        (f.String(format="binary"), "hi", ("ok", b"hi")),
        (f.String(format="byte"), "aGk", ("error", [("", "Must be base64-encoded data.")])),
        (f.String(format="x-unknown"), "anything", ("ok", "anything")),
    ],
)
def test_field_outcomes(field: Any, value: Any, expected: Any) -> None:
    assert outcome(field, value) == expected


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("0580-09-16T18:09:41-23:13", datetime.datetime(580, 9, 17, 17, 22, 41)),
        ("2024-02-29T10:00:00+01:00", datetime.datetime(2024, 2, 29, 9)),
        ("2024-02-29t10:00:00.5z", datetime.datetime(2024, 2, 29, 10, 0, 0, 500000)),
    ],
)
def test_date_times_are_normalised_to_utc(text: str, utc: datetime.datetime) -> None:
    # Equal instants compare equal whatever their offsets: check the fields too.
    value = f.String(format="date-time").run_validation(text)
    assert value.tzinfo is datetime.UTC
    assert value.replace(tzinfo=None) == utc


def test_defaults_are_copied() -> None:
    field = f.Array(default=[], required=False)
    first = field.get_default()
    first.append(1)
    assert field.get_default() == []


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        (1, 1.0, True),
        (True, 1, False),
        ([1, {"a": None}], [1.0, {"a": None}], True),
        ({"a": 1}, {"b": 1}, False),
    ],
)
def test_json_equal(left: Any, right: Any, equal: bool) -> None:
    assert json_equal(left, right) is equal


def test_type_allowed_and_duplicates() -> None:
    assert type_allowed(1, ("number",))
    assert not type_allowed(True, ("integer", "number"))
    assert type_allowed(None, ())
    assert first_duplicate([{"a": 1}, {"a": 1.0}]) == (0, 1)
    assert first_duplicate([0, False]) is None


def test_to_json_converts_python_values() -> None:
    value = {
        "d": datetime.date(2024, 1, 2),
        "n": D("2.50"),
        "i": D("3"),
        "u": uuid.UUID(int=1),
        "b": b"hi",
    }
    assert to_json(value) == {
        "d": "2024-01-02",
        "n": 2.5,
        "i": 3,
        "u": "00000000-0000-0000-0000-000000000001",
        "b": "aGk=",
    }
    assert to_json(datetime.timedelta(days=1, seconds=90)) == "P1DT90S"


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("^[a-z]+$", "abc\n", False),
        ("\\d", "٣", False),
        ("\\d", "3", True),
        ("[\\d]", "3", True),
        ("\\p{L}", "ж", True),
        ("b", "abc", True),
    ],
)
def test_ecma_patterns(pattern: str, text: str, matches: bool) -> None:
    assert pattern_matches(pattern, text) is matches


def test_translate() -> None:
    assert translate("^[a$]+$") == "^[a$]+\\Z"


def test_all_of_keeps_values_converted_by_the_member_that_declares_them(tmp_path: Any) -> None:
    spec = tmp_path / "allof.yaml"
    spec.write_text(
        """
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Dated:
      type: object
      properties: {on: {type: string, format: date}}
    Named:
      type: object
      properties: {name: {type: string}}
    Both:
      allOf: [{$ref: "#/components/schemas/Named"}, {$ref: "#/components/schemas/Dated"}]
"""
    )
    package = generate_package(spec, tmp_path, "sf_allof_merge")
    both = package.serializers.registry["Both"]
    value = both().run_validation({"name": "x", "on": "2024-01-02", "extra": 1})
    assert value == {"name": "x", "on": datetime.date(2024, 1, 2), "extra": 1}
