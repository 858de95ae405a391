"""Shared helpers for the lint tests: lint an inline spec, pick findings by code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from codegen.core.diagnostics import Diagnostic
from codegen.designer.lint.config import LintConfig, parse_config
from codegen.designer.lint.runner import lint_path

WriteSpec = Callable[..., Path]

# A spec that breaks no rule, not even the opt-in ones; cases start from here.
CLEAN = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
tags: [{name: orders}]
security: [{bearer: []}]
paths:
  /orders:
    get:
      operationId: listOrders
      summary: List orders
      description: Every order.
      tags: [orders]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Order'}}
        default: {$ref: '#/components/responses/Problem'}
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
  responses:
    Problem:
      description: error
      content: {application/problem+json: {schema: {type: object}}}
  schemas:
    Order: {type: object, properties: {id: {type: string}}}
"""

ALL_RULES = parse_config({"enable": ["SF321"]}, "test")


def lint(
    write_spec: WriteSpec, text: str, config: LintConfig = ALL_RULES, name: str = "spec.yaml"
) -> list[Diagnostic]:
    return lint_path(write_spec(text, name), config)


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]
