"""Handlers receive the types their generated signatures declare.

One inline spec declares a parameter of every converted kind; a handler
records what arrives, and each value must be an instance of the annotation
the generated stub gives it (``typing.get_type_hints`` on the stub), so a
signature that promises ``uuid.UUID`` while a ``str`` arrives fails here.
The conversions themselves are one table, ``servicekit.contract.formats``,
and the annotations another, ``codegen.generator.render.annotations``: the
second half of this module checks they agree.
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import random
import types
import typing as t
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework.request import Request
from servicekit.contract import Reply, formats
from servicekit.contract import fields as f

from codegen.core.synth.formats import sample
from codegen.generator.render import annotations
from tests.servicekit.harness import generate_package, root_urlconf

SPEC = """\
openapi: 3.1.0
info: {title: typed, version: "1"}
paths:
  /things/{thingId}:
    get:
      operationId: getThing
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: price, in: query, schema: {type: string, format: decimal}}
        - {name: ratio, in: query, schema: {type: number}}
        - {name: weight, in: query, schema: {type: number, format: double}}
        - {name: count, in: query, schema: {type: integer, default: 3}}
        - {name: flag, in: query, schema: {type: boolean}}
        - {name: at, in: query, schema: {type: string, format: date-time}}
        - {name: day, in: query, schema: {type: string, format: date}}
        - {name: since, in: query, schema: {type: string, format: time, default: "10:00:00Z"}}
        - {name: wait, in: query, schema: {type: string, format: duration}}
        - {name: blob, in: query, schema: {type: string, format: byte}}
        - {name: X-Raw, in: header, schema: {type: string, format: binary}}
        - {name: addr, in: query, schema: {type: string, format: ipv4}}
        - {name: addr6, in: query, schema: {type: string, format: ipv6}}
        - {name: colour, in: query, schema: {type: string, enum: [red, blue]}}
        - {name: ids, in: query, schema: {type: array, items: {type: string, format: uuid}}}
        - name: amounts
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: number}}
        - {name: absent, in: query, schema: {type: string, format: uuid}}
      responses:
        '204': {description: Received.}
"""
QUERY = (
    "price=12.50&ratio=2&weight=1&flag=true&at=2024-01-02T03:04:05%2B01:00&day=2024-01-02"
    "&wait=P1DT2H&blob=aGk%3D&addr=10.0.0.1&addr6=::1&colour=red"
    "&ids=12345678-1234-5678-1234-567812345678&ids=87654321-4321-8765-4321-876543218765"
    "&amounts=1,2.5"
)


def conforms(value: Any, hint: Any) -> bool:
    """Whether ``value`` is an instance of the annotation ``hint`` (bool is no int)."""
    origin, args = t.get_origin(hint), t.get_args(hint)
    if origin in (t.Union, types.UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is t.Literal:
        return any(type(value) is type(arg) and value == arg for arg in args)
    if origin in (list, dict):
        items = value if origin is list and isinstance(value, list) else []
        return isinstance(value, origin) and all(conforms(item, args[0]) for item in items)
    if hint is int or hint is type(None):
        return type(value) is hint
    return isinstance(value, hint)


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    root = tmp_path_factory.mktemp("typed")
    spec = Path(root / "typed.yaml")
    spec.write_text(SPEC)
    package = generate_package(spec, root, "sf_typed_params")
    calls: list[dict[str, Any]] = []

    class Things(package.stubs.ThingsViewSet):  # type: ignore[name-defined,misc]
        def get_thing(self, request: Request, **params: Any) -> Reply:
            calls.append(params)
            return Reply(204)

    with override_settings(ROOT_URLCONF=root_urlconf(package, {"Things": Things})):
        response = Client().get(f"/things/{uuid.UUID(int=1)}?{QUERY}", HTTP_X_RAW="h\u00e9llo")
    assert response.status_code == 204, response.content
    hints = t.get_type_hints(package.stubs.ThingsViewSet.get_thing)
    hints.pop("request"), hints.pop("return")
    return calls[0], hints


def test_every_parameter_arrives_as_its_annotation(
    received: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    values, hints = received
    assert set(values) == set(hints)
    wrong = {
        name: (type(values[name]).__name__, str(hint))
        for name, hint in hints.items()
        if hint is t.Any or not conforms(values[name], hint)
    }
    assert wrong == {}


def test_converted_values(received: tuple[dict[str, Any], dict[str, Any]]) -> None:
    values, _ = received
    assert values["price"] == decimal.Decimal("12.50")
    assert values["wait"] == datetime.timedelta(days=1, hours=2)
    assert values["blob"] == b"hi"
    assert values["x_raw"] == "h\u00e9llo".encode()
    assert values["count"] == 3  # the default
    assert values["since"] == datetime.time(10, tzinfo=datetime.UTC)  # a converted default
    assert values["amounts"] == [decimal.Decimal(1), decimal.Decimal("2.5")]
    assert values["absent"] is None


def test_annotations_without_a_default_admit_none(
    received: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, hints = received
    assert hints["count"] is int
    assert hints["since"] is datetime.time
    assert hints["absent"] == uuid.UUID | None


CONVERTED = {
    "bytes": bytes,
    "datetime.date": datetime.date,
    "datetime.datetime": datetime.datetime,
    "datetime.time": datetime.time,
    "datetime.timedelta": datetime.timedelta,
    "decimal.Decimal": decimal.Decimal,
    "ipaddress.IPv4Address": ipaddress.IPv4Address,
    "ipaddress.IPv6Address": ipaddress.IPv6Address,
    "uuid.UUID": uuid.UUID,
}


@pytest.mark.parametrize(
    "fmt", sorted(set(annotations.STRING_FORMATS) | set(formats.STRING_FORMATS))
)
def test_the_annotation_of_each_format_names_what_the_runtime_returns(fmt: str) -> None:
    text = sample(fmt, random.Random(1))
    assert text is not None, f"codegen.core.synth.formats has no sample for {fmt}"
    value = f.String(format=fmt).run_validation(text)
    expected = (
        CONVERTED[annotations.STRING_FORMATS[fmt]] if fmt in annotations.STRING_FORMATS else str
    )
    if fmt == "date-time":
        assert value.tzinfo is not None  # aware
    assert type(value) is expected or (expected is not str and isinstance(value, expected))


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (f.Number(), 2, decimal.Decimal),
        (f.Number(), decimal.Decimal("2.5"), decimal.Decimal),
        (f.Number(format="float"), 2, float),
        (f.Number(format="double"), decimal.Decimal("2.5"), float),
        (f.Integer(), decimal.Decimal("2.0"), int),
    ],
)
def test_numbers_arrive_as_one_type(field: Any, value: Any, expected: type) -> None:
    assert type(field.run_validation(value)) is expected
