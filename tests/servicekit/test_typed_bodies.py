"""Handlers receive the typed request bodies their generated signatures declare.

One inline spec declares a body of every shape the generator types: required,
optional, nullable and defaulted members, a readOnly member, a member whose JSON key
is no Python name, a nested object, arrays of objects and of scalars, a discriminated
``oneOf`` (as a member and as a whole body), a recursive schema and a form. Requests go
through the real runtime; a handler records the ``body`` it gets, and the tests check
it against the stub's annotation (``typing.get_type_hints``), member by member.
"""

from __future__ import annotations

import dataclasses
import decimal
import json
import types
import typing as t
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework.request import Request
from servicekit.contract import Reply
from servicekit.contract.records import ABSENT, Absent, Record, plain

from tests.servicekit.harness import generate_package, root_urlconf

SPEC = """\
openapi: 3.1.0
info: {title: bodies, version: "1"}
paths:
  /orders:
    post:
      operationId: placeOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses:
        '204': {description: Placed.}
  /pets:
    post:
      operationId: addPet
      requestBody:  # optional: bodies.Pet | None, a union of an Annotated alias
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '204': {description: Added.}
  /trees:
    post:
      operationId: plantTree
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [root]
              properties:
                root: {$ref: '#/components/schemas/Node'}
      responses:
        '204': {description: Planted.}
  /login:
    post:
      operationId: logIn
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [username, attempts]
              properties:
                username: {type: string}
                attempts: {type: integer}
                2fa: {type: string}
      responses:
        '204': {description: Logged in.}
components:
  schemas:
    Address:
      type: object
      required: [city]
      properties:
        city: {type: string}
        line2: {type: string}
    Line:
      type: object
      required: [product_id, quantity, line_total]
      properties:
        product_id: {type: string, format: uuid}
        quantity: {type: integer}
        line_total: {type: string, readOnly: true}
    Cat:
      type: object
      required: [kind, lives]
      properties:
        kind: {type: string, enum: [cat]}
        lives: {type: integer}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [dog, puppy]}
        good: {type: boolean}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: '#/components/schemas/Dog'
          puppy: '#/components/schemas/Dog'
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    Order:
      type: object
      required: [id, customer_id, lines, address, pet]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        customer_id: {type: string, format: uuid}
        note: {type: string}
        nickname: {type: [string, 'null']}
        priority: {type: integer, default: 5}
        price: {type: string, format: decimal}
        class: {type: string}
        lines: {type: array, items: {$ref: '#/components/schemas/Line'}}
        tags: {type: array, items: {type: string}}
        address: {$ref: '#/components/schemas/Address'}
        pet: {$ref: '#/components/schemas/Pet'}
"""
CUSTOMER = "12345678-1234-5678-1234-567812345678"
PRODUCT = "87654321-4321-8765-4321-876543218765"
ORDER = {
    "id": CUSTOMER,  # readOnly: accepted and dropped
    "customer_id": CUSTOMER,
    "lines": [{"product_id": PRODUCT, "quantity": 2, "line_total": "9.99"}],
    "address": {"city": "Oslo"},
    "pet": {"kind": "puppy", "good": True},
}


@dataclasses.dataclass
class Api:
    package: types.ModuleType
    received: list[Any]

    def post(self, path: str, body: Any) -> Any:
        """The ``body`` the handler of ``path`` received."""
        self.received.clear()
        response = Client().post(path, json.dumps(body), content_type="application/json")
        assert response.status_code == 204, response.content
        return self.received[0]

    @property
    def bodies(self) -> Any:
        return self.package.bodies


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[Api]:
    root = tmp_path_factory.mktemp("bodies")
    spec = Path(root / "bodies.yaml")
    spec.write_text(SPEC)
    package = generate_package(spec, root, "sf_typed_bodies")
    received: list[Any] = []

    def record(self: Any, request: Request, *, body: Any) -> Reply:
        received.append(body)
        return Reply(204)

    views = {
        name: type(name, (getattr(package.stubs, name),), {python_name: record})
        for name, python_name in (
            ("OrdersViewSet", "place_order"),
            ("PetsViewSet", "add_pet"),
            ("TreesViewSet", "plant_tree"),
            ("LoginViewSet", "log_in"),
        )
    }
    views = {name.removesuffix("ViewSet"): view for name, view in views.items()}
    with override_settings(ROOT_URLCONF=root_urlconf(package, views)):
        yield Api(package, received)


def conforms(value: Any, hint: Any) -> bool:
    """Whether ``value`` is an instance of the annotation ``hint``, records member by member."""
    origin, args = t.get_origin(hint), t.get_args(hint)
    if origin is t.Annotated:
        return conforms(value, args[0])
    if origin in (t.Union, types.UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is t.Literal:
        return value in args
    if origin is tuple:
        return isinstance(value, tuple) and all(conforms(item, args[0]) for item in value)
    if isinstance(hint, type) and issubclass(hint, Record):
        hints = t.get_type_hints(hint, include_extras=True)
        return type(value) is hint and all(
            conforms(getattr(value, f.name), hints[f.name]) for f in dataclasses.fields(value)
        )
    return type(value) is hint if hint in (int, type(None)) else isinstance(value, hint)


def test_a_body_arrives_as_its_stub_annotation(api: Api) -> None:
    body = api.post("/orders", ORDER)
    hint = t.get_type_hints(api.package.stubs.OrdersViewSet.place_order)["body"]
    assert hint is api.bodies.Order
    assert conforms(body, hint)
    with pytest.raises(dataclasses.FrozenInstanceError):
        body.note = "changed"


def test_absent_null_and_present_stay_three_things(api: Api) -> None:
    absent = api.post("/orders", ORDER)
    assert absent.nickname is ABSENT and absent.note is ABSENT and absent.tags is ABSENT
    null = api.post("/orders", {**ORDER, "nickname": None})
    assert null.nickname is None
    present = api.post("/orders", {**ORDER, "nickname": "Bo", "note": "", "tags": ["a", "b"]})
    assert (present.nickname, present.note, present.tags) == ("Bo", "", ("a", "b"))
    assert not ABSENT and isinstance(ABSENT, Absent) and repr(ABSENT) == "ABSENT"


def test_defaults_converted_values_and_renamed_keys(api: Api) -> None:
    body = api.post("/orders", {**ORDER, "price": "12.50", "class": "first"})
    assert body.priority == 5  # the spec's default: never absent
    assert body.customer_id == uuid.UUID(CUSTOMER)
    assert body.price == decimal.Decimal("12.50")
    assert body.class_ == "first"
    assert api.post("/orders", ORDER).class_ is ABSENT


def test_nested_objects_are_classes_and_arrays_tuples(api: Api) -> None:
    body = api.post("/orders", ORDER)
    assert body.address == api.bodies.Address(city="Oslo")
    assert body.address.line2 is ABSENT
    assert body.lines == (api.bodies.Line(product_id=uuid.UUID(PRODUCT), quantity=2),)


def test_read_only_members_are_left_out(api: Api) -> None:
    assert "id" not in {f.name for f in dataclasses.fields(api.bodies.Order)}
    assert "line_total" not in {f.name for f in dataclasses.fields(api.bodies.Line)}
    body = api.post("/orders", ORDER)
    assert not hasattr(body, "id") and not hasattr(body.lines[0], "line_total")


@pytest.mark.parametrize(
    ("pet", "expected"),
    [
        ({"kind": "cat", "lives": 9}, "Cat"),
        ({"kind": "dog"}, "Dog"),
        ({"kind": "puppy", "good": False}, "Dog"),  # two values may name one class
    ],
)
def test_the_discriminator_picks_the_class(api: Api, pet: dict[str, Any], expected: str) -> None:
    member = api.post("/orders", {**ORDER, "pet": pet}).pet
    whole = api.post("/pets", pet)
    assert type(member) is type(whole) is getattr(api.bodies, expected)
    assert plain(whole) == pet
    match whole:
        case api.bodies.Cat(lives=lives):
            assert lives == 9
        case api.bodies.Dog(kind=kind):
            assert kind == pet["kind"]


def test_an_optional_discriminated_body(api: Api) -> None:
    api.received.clear()
    assert Client().generic("POST", "/pets").status_code == 204
    assert api.received == [None]
    assert type(api.post("/pets", {"kind": "dog"})) is api.bodies.Dog


def test_recursive_schemas_and_optional_bodies(api: Api) -> None:
    tree = {"root": {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}}
    body = api.post("/trees", tree)
    assert body.root.children[0].children[0].name == "c"
    assert body.root.children[0].children[0].children is ABSENT
    assert conforms(body, t.get_type_hints(api.package.stubs.TreesViewSet.plant_tree)["body"])
    api.received.clear()
    assert Client().generic("POST", "/trees").status_code == 204  # no body at all
    assert api.received == [None]


def test_plain_gives_back_the_validated_members(api: Api) -> None:
    sent = {**ORDER, "nickname": None, "class": "x", "tags": ["t"]}
    expected = {key: value for key, value in sent.items() if key != "id"}
    expected["lines"] = [{"product_id": uuid.UUID(PRODUCT), "quantity": 2}]
    expected["customer_id"] = uuid.UUID(CUSTOMER)
    assert plain(api.post("/orders", sent)) == {**expected, "priority": 5}


def test_a_form_body_is_typed_too(api: Api) -> None:
    api.received.clear()
    form = "username=ada&attempts=2&2fa=123456"
    response = Client().post("/login", form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 204, response.content
    (body,) = api.received
    assert body == api.bodies.LogInRequest(username="ada", attempts=2, n_2fa="123456")
