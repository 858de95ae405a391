"""Discriminators: generated data names its branch with the mapping value
(explicit ``mapping``, or the component name), even where the branch schemas
leave the property a plain string; writeOnly members never appear."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.core.validator import validation_error
from codegen.designer.mock.responder import MockRequest
from codegen.designer.mock.state import engine_for_spec

SPEC = """
openapi: 3.0.3
info: {title: Zoo, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                minItems: 6
                items:
                  oneOf:
                    - $ref: "#/components/schemas/Cat"
                    - $ref: "#/components/schemas/Dog"
                  discriminator:
                    propertyName: kind
                    mapping: {doggo: "#/components/schemas/Dog"}
components:
  schemas:
    Cat:
      type: object
      required: [kind, lives]
      properties:
        kind: {type: string}
        lives: {type: integer, minimum: 1, maximum: 9}
        password: {type: string, writeOnly: true}
    Dog:
      type: object
      required: [kind, bark]
      properties:
        kind: {type: string}
        bark: {type: boolean}
"""


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_each_item_names_its_branch(write_spec: Callable[[str], Path], seed: int) -> None:
    engine = engine_for_spec(write_spec(SPEC).as_posix(), seed=seed)
    answer = engine.answer("get", "/pets", MockRequest("get", "/pets"))
    pets = json.loads(answer.body)
    schema = engine.operations[("get", "/pets")].responses["200"].media[0].schema
    assert validation_error(schema, pets) is None
    for pet in pets:
        assert pet["kind"] == ("Cat" if "lives" in pet else "doggo"), pet
        assert "password" not in pet
    assert {pet["kind"] for pet in pets} <= {"Cat", "doggo"}
