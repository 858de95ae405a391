"""Specs that look close to a rule's failing case but are fine: no false positives."""

from __future__ import annotations

import pytest

from tests.codegen.lint.helpers import WriteSpec, lint, only

HEAD = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
security: [{bearer: []}]
"""
SCHEMES = """
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
"""

# (rule that must not fire, id, spec)
CASES: list[tuple[str, str, str]] = [
    (
        "SF303",
        "single-operation",
        HEAD
        + 'paths:\n  /a:\n    get: {operationId: get_a, responses: {"200": {description: ok}}}\n',
    ),
    (
        "SF306",
        "path-level-parameter",
        HEAD
        + """
paths:
  /orders/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getOrder, responses: {"200": {description: ok}}}
""",
    ),
    (
        "SF308",
        "longer-template-is-not-ambiguous",
        HEAD
        + """
paths:
  /a/{x}:
    parameters: [{name: x, in: path, required: true, schema: {type: string}}]
    get: {operationId: getA, responses: {"200": {description: ok}}}
  /a/{x}/b:
    parameters: [{name: x, in: path, required: true, schema: {type: string}}]
    get: {operationId: getB, responses: {"200": {description: ok}}}
""",
    ),
    (
        "SF311",
        "action-is-not-a-create",
        HEAD
        + """
paths:
  /orders/{id}/cancel:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    post: {operationId: cancelOrder, responses: {"200": {description: ok}}}
  /orders/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getOrder, responses: {"200": {description: ok}}}
""",
    ),
    (
        "SF312",
        "location-through-header-ref",
        HEAD
        + """
paths:
  /orders:
    post:
      operationId: createOrder
      responses:
        "201": {$ref: '#/components/responses/Created'}
components:
  responses:
    Created:
      description: created
      headers: {location: {$ref: '#/components/headers/Location'}}
  headers:
    Location: {schema: {type: string, format: uri-reference}}
""",
    ),
    (
        "SF313",
        "allof-fragment-and-enum",
        HEAD
        + """
paths: {}
components:
  schemas:
    Base: {type: object, properties: {id: {type: string}}}
    Order:
      allOf:
        - $ref: '#/components/schemas/Base'
        - properties: {total: {type: number}}
          required: [total]
    Status: {enum: [open, closed]}
""",
    ),
    (
        "SF314",
        "request-example-may-omit-read-only",
        HEAD
        + """
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
            example: {name: "Ada Lovelace", code: "Zoë"}
      responses: {"201": {description: ok, headers: {Location: {schema: {type: string}}}}}
components:
  schemas:
    Order:
      type: object
      required: [id, name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string, pattern: '^\\p{L}[\\p{L} ]*$'}
        code: {type: string, pattern: '^\\p{Lu}\\p{Ll}+$'}
""",
    ),
    (
        "SF314",
        "nullable-30-example-null",
        """
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths: {}
components:
  schemas:
    Note: {type: string, nullable: true, example: null, default: null}
    Price: {type: number, minimum: 0, exclusiveMinimum: true, example: 0.5}
""",
    ),
    (
        "SF315",
        "used-through-discriminator-and-security",
        HEAD
        + """
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                oneOf: [{$ref: '#/components/schemas/Cat'}]
                discriminator:
                  propertyName: kind
                  mapping: {cat: '#/components/schemas/Cat', dog: Dog}
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
  schemas:
    Cat: {type: object, properties: {kind: {type: string}}}
    Dog: {type: object, properties: {kind: {type: string}}}
""",
    ),
    (
        "SF315",
        "component-library",
        HEAD + "components:\n  schemas:\n    Money: {type: string}\n",
    ),
    (
        "SF316",
        "read-only-and-secured-write",
        """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /a:
    get: {operationId: getA, responses: {"200": {description: ok}}}
    post: {operationId: postA, security: [{bearer: []}], responses: {"200": {description: ok}}}
"""
        + SCHEMES,
    ),
    (
        "SF317",
        "same-shape",
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
              schema: {type: object, properties: {orders: {type: array, items: {type: string}}}}
  /customers:
    get:
      operationId: listCustomers
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {customers: {type: array, items: {}}}}
""",
    ),
    (
        "SF318",
        "nullable-allof-with-type-or-31",
        """
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths: {}
components:
  schemas:
    Money: {type: object}
    Order:
      type: object
      properties:
        discount: {type: object, nullable: true, allOf: [{$ref: '#/components/schemas/Money'}]}
""",
    ),
    (
        "SF322",
        "body-objects-that-say-what-they-mean",
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
              # an allOf part is judged by the schema composing it
              allOf: [{$ref: '#/components/schemas/Named'}]
              unevaluatedProperties: false
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {free: {type: object}}}
  /maps:
    put:
      operationId: putMap
      summary: Put
      requestBody:
        content:
          application/json:
            schema: {type: object, additionalProperties: {type: integer}}
      responses: {"204": {description: ok}}
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
  schemas:
    Named: {type: object, properties: {name: {type: string}}}
    Unused: {type: object, properties: {name: {type: string}}}
""",
    ),
]


@pytest.mark.parametrize(("rule", "spec"), [(c[0], c[2]) for c in CASES], ids=[c[1] for c in CASES])
def test_rule_does_not_fire(write_spec: WriteSpec, rule: str, spec: str) -> None:
    assert [d.message for d in only(lint(write_spec, spec), rule)] == []
