"""Malformed specs never crash lint or diff: wrong types everywhere are skipped
(``specfirst validate`` reports them), and the rules still run on the rest."""

from __future__ import annotations

from codegen.designer.diff.runner import diff_files
from tests.codegen.lint.helpers import CLEAN, WriteSpec, codes, lint, only

MALFORMED = """
openapi: 3.0.0
info: {title: W, version: "1"}
tags: notalist
security: {a: b}
paths:
  /a:
    parameters: notalist
    get:
      parameters: [1, "x", {name: 3, in: path}, {$ref: '#/nope'}]
      tags: {a: 1}
      requestBody: "x"
      responses: ["200"]
      security: [1, {x: 5}]
    post:
      responses:
        "201": 5
        default: {content: {application/problem+json: 3}}
  /b/{x}:
    get:
      responses:
        "200":
          content:
            application/json:
              schema: {type: object, properties: 5, required: 7, items: [1], allOf: 3, enum: 4}
              examples: {a: 1, b: {value: 2}}
components:
  schemas:
    A: 5
    B: {$ref: '#/components/schemas/B'}
    C: {type: [string, 1], minimum: "x", exclusiveMinimum: true, maxLength: "5", default: "a"}
  x-foo: 1
  parameters: 7
"""


def test_lint_survives_malformed_spec(write_spec: WriteSpec) -> None:
    diagnostics = lint(write_spec, MALFORMED)
    assert {"SF011", "SF301", "SF306", "SF309", "SF316"} <= set(codes(diagnostics))
    assert only(diagnostics, "SF314") == []  # a malformed schema is not the example's fault


def test_diff_survives_malformed_spec(write_spec: WriteSpec) -> None:
    weird, clean = write_spec(MALFORMED, "weird.yaml"), write_spec(CLEAN, "clean.yaml")
    assert diff_files(weird, weird) == []
    assert {c.check for c in diff_files(weird, clean)} >= {"SF401"}
    assert {c.check for c in diff_files(clean, weird)} >= {"SF403"}


def test_examples_through_a_cycle_of_refs_do_not_hang(write_spec: WriteSpec) -> None:
    spec = """
openapi: 3.1.0
info: {title: W, version: "1"}
paths: {}
components:
  schemas:
    Loop: {$ref: '#/components/schemas/Loop'}
    Holder:
      type: object
      properties: {loop: {$ref: '#/components/schemas/Loop'}}
      example: {loop: 1}
    Tree:
      type: object
      properties: {children: {type: array, items: {$ref: '#/components/schemas/Tree'}}}
      example: {children: [{children: [{children: "no"}]}]}
"""
    (invalid,) = only(lint(write_spec, spec), "SF314")
    assert invalid.location.pointer == (
        "/components/schemas/Tree/example/children/0/children/0/children"
    )
    assert invalid.message == (
        "example is not valid against its schema at /children/0/children/0/children: "
        "'no' is not of type 'array'"
    )


IDENTIFIED = """
openapi: 3.1.0
info: {title: W, version: "1"}
paths: {}
components:
  schemas:
    Strict:
      $id: https://example.com/strict
      $dynamicAnchor: node
      $ref: tree
      unevaluatedProperties: false
      examples:
        - {children: [{data: 1}]}
        - {children: [{daat: 1}]}
    Tree:
      $id: https://example.com/tree
      $dynamicAnchor: node
      type: object
      properties:
        data: true
        children: {type: array, items: {$dynamicRef: '#node'}}
    Anchored:
      type: object
      properties: {x: {$ref: '#pos'}}
      examples: [{x: 1}, {x: -1}]
      $defs:
        p: {$anchor: pos, type: integer, minimum: 0}
"""


def test_examples_are_judged_with_ids_anchors_and_dynamic_references(
    write_spec: WriteSpec,
) -> None:
    """References resolve as JSON Schema 2020-12 says (against the ``$id`` where they
    are written, to an ``$anchor``, through ``$dynamicRef``), as in the generated
    services; a schema with siblings beside its ``$ref`` has its own examples checked."""
    found = sorted(
        (d.location.pointer, d.message) for d in only(lint(write_spec, IDENTIFIED), "SF314")
    )
    assert found == [
        ("/components/schemas/Anchored/examples/1/x",
         "examples[1] is not valid against its schema at /x: -1 is less than the minimum of 0"),
        ("/components/schemas/Strict/examples/1/children/0",
         "examples[1] is not valid against its schema at /children/0: "
         "Unevaluated properties are not allowed ('daat' was unexpected)"),
    ]  # fmt: skip
    assert "SF313" not in codes(lint(write_spec, IDENTIFIED))  # $dynamicRef gives the shape
