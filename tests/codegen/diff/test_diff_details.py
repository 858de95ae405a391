"""Messages, both locations, and direction for changes reached through components."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.runner import diff_files

WriteSpec = Callable[..., Path]

OLD = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Order:
      type: object
      properties:
        sku: {type: string}
"""


def test_one_component_change_is_classified_per_direction(write_spec: WriteSpec) -> None:
    new = OLD.replace(
        "        sku: {type: string}\n",
        "        sku: {type: string}\n        qty: {type: integer}\n",
    ).replace(
        "      type: object\n      properties:",
        "      type: object\n      required: [qty]\n      properties:",
    )
    changes = diff_files(write_spec(OLD, "old.yaml"), write_spec(new, "new.yaml"))
    summary = [(c.check, c.level, c.message) for c in changes]
    assert summary == [
        (
            "SF430",
            Level.BREAKING,
            "POST /orders request body (application/json) qty: required property added",
        ),
        (
            "SF461",
            Level.NON_BREAKING,
            "POST /orders response 201 (application/json) qty: required property added",
        ),
    ]
    request_change = changes[0]
    assert request_change.old is not None and request_change.new is not None
    assert request_change.old.file.endswith("old.yaml")
    assert request_change.old.pointer == "/components/schemas/Order/properties"
    assert (request_change.old.line, request_change.old.column) == (22, 7)
    assert request_change.new.file.endswith("new.yaml")
    assert request_change.new.pointer == "/components/schemas/Order/properties/qty"
    assert (request_change.new.line, request_change.new.column) == (25, 9)


def test_removed_operation_points_at_both_files(write_spec: WriteSpec) -> None:
    old = OLD.replace(
        "  /orders:\n", "  /orders:\n    get: {responses: {'200': {description: ok}}}\n"
    )
    changes = diff_files(write_spec(old, "old.yaml"), write_spec(OLD, "new.yaml"))
    (removed,) = changes
    assert (removed.check, removed.message) == ("SF402", "GET /orders: operation removed")
    assert removed.old is not None and removed.new is not None
    assert (removed.old.pointer, removed.old.line) == ("/paths/~1orders/get", 5)
    assert (removed.new.pointer, removed.new.line) == ("/paths/~1orders", 4)


def test_external_ref_change_is_found(write_spec: WriteSpec) -> None:
    write_spec(
        "Order: {type: object, properties: {sku: {type: string, maxLength: 9}}}\n", "v1/common.yaml"
    )
    write_spec(
        "Order: {type: object, properties: {sku: {type: string, maxLength: 4}}}\n", "v2/common.yaml"
    )
    spec = OLD.replace("'#/components/schemas/Order'", "'common.yaml#/Order'")
    changes = diff_files(write_spec(spec, "v1/api.yaml"), write_spec(spec, "v2/api.yaml"))
    (narrowed,) = [c for c in changes if c.level is Level.BREAKING]
    assert narrowed.check == "SF433"
    assert narrowed.message == (
        "POST /orders request body (application/json) sku: maxLength lowered from 9 to 4"
    )
    assert narrowed.old is not None and narrowed.old.file.endswith("v1/common.yaml")
    assert narrowed.old.pointer == "/Order/properties/sku/maxLength"


def test_identical_specs_have_no_changes(write_spec: WriteSpec) -> None:
    assert diff_files(write_spec(OLD, "a.yaml"), write_spec(OLD, "b.yaml")) == []
