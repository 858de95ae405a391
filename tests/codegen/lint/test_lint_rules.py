"""One failing inline spec per lint rule: code, location and message are pinned."""

from __future__ import annotations

import pytest

from codegen.core.diagnostics import Severity
from codegen.designer.lint.catalogue import RULES
from tests.codegen.lint.helpers import ALL_RULES, CLEAN, WriteSpec, lint, only

HEAD = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
security: [{bearer: []}]
"""
TAIL = """
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
"""

# (code, spec, pointer, line, column, message)
CASES: list[tuple[str, str, str, int, int, str]] = [
    (
        "SF301",
        HEAD
        + """
paths:
  /orders:
    get:
      summary: List
      responses: {"200": {description: ok}}
""",
        "/paths/~1orders/get",
        7,
        5,
        "GET /orders has no operationId",
    ),
    (
        "SF302",
        HEAD
        + """
paths:
  /a:
    get: {operationId: listThings, responses: {"200": {description: ok}}}
  /b:
    get: {operationId: listThings, responses: {"200": {description: ok}}}
""",
        "/paths/~1b/get/operationId",
        9,
        11,
        "operationId 'listThings' of GET /b is already used by GET /a",
    ),
    (
        "SF303",
        HEAD
        + """
paths:
  /a:
    get: {operationId: listThings, responses: {"200": {description: ok}}}
    put: {operationId: putThing, responses: {"200": {description: ok}}}
    post: {operationId: create_thing, responses: {"200": {description: ok}}}
"""
        + TAIL,
        "/paths/~1a/post/operationId",
        9,
        12,
        "operationId 'create_thing' of POST /a is snake_case; the other operations use camelCase",
    ),
    (
        "SF304",
        HEAD
        + """
paths:
  /a:
    get: {operationId: listThings, responses: {"200": {description: ok}}}
""",
        "/paths/~1a/get",
        7,
        5,
        "GET /a has no summary",
    ),
    (
        "SF305",
        HEAD
        + """
tags: [{name: orders}]
paths:
  /a:
    get:
      operationId: listThings
      tags: [orders, order]
      responses: {"200": {description: ok}}
""",
        "/paths/~1a/get/tags/1",
        10,
        22,
        "GET /a uses tag 'order', which the top-level `tags` list does not declare",
    ),
    (
        "SF306",
        HEAD
        + """
paths:
  /orders/{orderId}:
    get: {operationId: getOrder, responses: {"200": {description: ok}}}
""",
        "/paths/~1orders~1{orderId}/get",
        7,
        5,
        "GET /orders/{orderId}: path variable {orderId} has no `in: path` parameter",
    ),
    (
        "SF307",
        HEAD
        + """
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
""",
        "/paths/~1orders/get/parameters/0",
        10,
        11,
        "GET /orders: path parameter 'id' does not appear in the template",
    ),
    (
        "SF308",
        HEAD
        + """
paths:
  /a/{x}:
    parameters: [{name: x, in: path, required: true, schema: {type: string}}]
    get: {operationId: getA, responses: {"200": {description: ok}}}
  /a/{y}:
    parameters: [{name: y, in: path, required: true, schema: {type: string}}]
    put: {operationId: putA, responses: {"200": {description: ok}}}
""",
        "/paths/~1a~1{y}",
        9,
        3,
        "path '/a/{y}' matches the same requests as '/a/{x}' "
        "(the templates differ only in parameter names)",
    ),
    (
        "SF309",
        HEAD
        + """
paths:
  /a:
    get:
      operationId: getA
      responses: {"404": {description: missing}}
""",
        "/paths/~1a/get/responses",
        9,
        7,
        "GET /a declares no success (2XX or 3XX) response",
    ),
    (
        "SF310",
        HEAD
        + """
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200": {description: ok}
        "404":
          description: missing
          content: {application/json: {schema: {type: object}}}
""",
        "/paths/~1a/get/responses",
        9,
        7,
        "GET /a declares no error response with application/problem+json content",
    ),
    (
        "SF311",
        HEAD
        + """
paths:
  /orders:
    post:
      operationId: createOrder
      responses:
        "200":
          description: created
          headers: {Location: {schema: {type: string}}}
  /orders/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getOrder, responses: {"200": {description: ok}}}
""",
        "/paths/~1orders/post/responses",
        9,
        7,
        "POST /orders creates a resource but answers 200 instead of 201",
    ),
    (
        "SF312",
        HEAD
        + """
paths:
  /orders:
    post:
      operationId: createOrder
      responses:
        "201": {description: created}
""",
        "/paths/~1orders/post/responses/201",
        10,
        9,
        "POST /orders: the 201 response has neither a Location header nor a link "
        "to the created resource",
    ),
    (
        "SF313",
        HEAD
        + """
paths: {}
components:
  schemas:
    Order:
      type: object
      properties:
        meta:
          properties: {a: {type: string}}
""",
        "/components/schemas/Order/properties/meta",
        11,
        9,
        "schema has `properties` but no `type: object`",
    ),
    (
        "SF314",
        HEAD
        + """
paths: {}
components:
  schemas:
    Order:
      type: object
      properties:
        total: {type: integer, minimum: 1, default: 0}
""",
        "/components/schemas/Order/properties/total/default",
        11,
        44,
        "default is not valid against its schema: 0 is less than the minimum of 1",
    ),
    (
        "SF315",
        HEAD
        + """
paths:
  /a:
    get: {operationId: getA, responses: {"200": {description: ok}}}
components:
  schemas:
    Legacy: {type: object}
""",
        "/components/schemas/Legacy",
        10,
        5,
        "component schemas/Legacy is not used anywhere in the spec",
    ),
    (
        "SF316",
        """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /a:
    delete: {operationId: deleteA, responses: {"204": {description: gone}}}
""",
        "/paths/~1a/delete",
        5,
        5,
        "DELETE /a is a write without a security requirement; anyone can call it",
    ),
    (
        "SF317",
        HEAD
        + """
paths:
  /orders:
    get:
      operationId: listOrders
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {items: {type: array, items: {type: string}}}
  /customers:
    get:
      operationId: listCustomers
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
                  next: {type: string}
  /parcels:
    get:
      operationId: listParcels
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {parcels: {type: array, items: {type: string}}}
""",
        "/paths/~1customers/get",
        19,
        5,
        "GET /customers pages as (cursor) → {[], next}; the other lists page as "
        "(page) → {[]} (e.g. GET /orders)",
    ),
    (
        "SF318",
        """
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths: {}
components:
  schemas:
    Money: {type: object, properties: {amount: {type: number}}}
    Order:
      type: object
      properties:
        discount:
          nullable: true
          allOf: [{$ref: '#/components/schemas/Money'}]
""",
        "/components/schemas/Order/properties/discount/nullable",
        11,
        11,
        "`nullable: true` beside `allOf` has no effect without a `type` in the same "
        "schema (OpenAPI 3.0.3), so null is not accepted here",
    ),
    (
        "SF321",
        HEAD
        + """
paths:
  /a:
    get: {operationId: getA, summary: Get A, responses: {"200": {description: ok}}}
""",
        "/paths/~1a/get",
        7,
        5,
        "GET /a has no description",
    ),
    (
        "SF322",
        HEAD
        + """
paths:
  /things:
    post:
      operationId: createThing
      summary: Create
      requestBody:
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                name: {type: string}
                size:
                  type: object
                  properties: {width: {type: number}}
      responses: {"204": {description: ok}}
"""
        + TAIL,
        "/paths/~1things/post/requestBody/content/application~1json/schema/properties/size",
        18,
        17,
        "this object of a request body does not say whether it takes properties it does not "
        "declare (they are accepted and dropped without a word)",
    ),
]


@pytest.mark.parametrize(
    ("code", "spec", "pointer", "line", "column", "message"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_rule_reports_code_location_and_message(
    write_spec: WriteSpec,
    code: str,
    spec: str,
    *,
    pointer: str,
    line: int,
    column: int,
    message: str,
) -> None:
    found = only(lint(write_spec, spec), code)
    assert [(d.location.pointer, d.message) for d in found] == [(pointer, message)]
    (diagnostic,) = found
    assert (diagnostic.location.line, diagnostic.location.column) == (line, column)
    assert diagnostic.location.file.endswith("spec.yaml")
    assert diagnostic.hint


def test_every_rule_has_a_failing_case() -> None:
    covered = {case[0] for case in CASES} | {"SF319", "SF320"}  # waivers: test_lint_waivers
    assert covered == {rule.id for rule in RULES}


def test_clean_spec_has_no_findings(write_spec: WriteSpec) -> None:
    assert lint(write_spec, CLEAN) == []


def test_default_severities(write_spec: WriteSpec) -> None:
    spec = CASES[0][1]
    (missing_id,) = only(lint(write_spec, spec), "SF301")
    assert missing_id.severity is Severity.ERROR


def test_create_answering_200_needs_location_too(write_spec: WriteSpec) -> None:
    spec = (
        HEAD
        + """
paths:
  /orders:
    post:
      operationId: createOrder
      responses: {"200": {description: created}}
  /orders/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getOrder, responses: {"200": {description: ok}}}
"""
    )
    diagnostics = lint(write_spec, spec)
    assert [d.location.pointer for d in only(diagnostics, "SF311")] == [
        "/paths/~1orders/post/responses"
    ]
    (missing,) = only(diagnostics, "SF312")
    assert missing.location.pointer == "/paths/~1orders/post/responses/200"
    assert missing.message == (
        "POST /orders: the 200 response has neither a Location header nor a link "
        "to the created resource"
    )


def test_links_satisfy_created_response(write_spec: WriteSpec) -> None:
    spec = (
        HEAD
        + """
paths:
  /orders:
    post:
      operationId: createOrder
      responses:
        "201":
          description: created
          links: {GetOrder: {operationId: getOrder, parameters: {id: $response.body#/id}}}
"""
    )
    assert only(lint(write_spec, spec), "SF312") == []


def test_json_spec_findings_have_lines(write_spec: WriteSpec) -> None:
    text = (
        '{\n  "openapi": "3.1.0",\n  "info": {"title": "Shop", "version": "1"},\n'
        '  "paths": {\n    "/a": {\n      "delete": {"operationId": "deleteA",'
        ' "responses": {"204": {"description": "gone"}}}\n    }\n  }\n}\n'
    )
    (finding,) = only(lint(write_spec, text, ALL_RULES, "spec.json"), "SF316")
    assert finding.location.file.endswith("spec.json")
    assert (finding.location.line, finding.location.pointer) == (6, "/paths/~1a/delete")
