"""What blocks generation, and load_api's use of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.core import load_api
from codegen.core.diagnostics import Diagnostic, Severity, SourceLocation
from codegen.core.spec.policy import NON_BLOCKING_CODES, for_generation, is_blocking

WriteSpec = Callable[..., Path]
WHERE = SourceLocation("s.yaml", 1, 1, "")

SPEC = """
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string, pattern: '^\\p{L}+$', default: 5}
"""


@pytest.mark.parametrize("code", sorted(NON_BLOCKING_CODES))
def test_non_blocking_errors_become_warnings(code: str) -> None:
    error = Diagnostic(code, Severity.ERROR, "m", WHERE)
    assert not is_blocking(error)
    assert for_generation([error]) == [Diagnostic(code, Severity.WARNING, "m", WHERE)]


@pytest.mark.parametrize("code", ["SF011", "SF111", "SF122", "SF102"])
def test_other_errors_block(code: str) -> None:
    error = Diagnostic(code, Severity.ERROR, "m", WHERE)
    assert is_blocking(error)
    assert for_generation([error]) == [error]


def test_load_api_goes_on_despite_fixable_findings(write_spec: WriteSpec) -> None:
    api, diagnostics = load_api(write_spec(SPEC))
    assert api is not None
    assert [(d.code, d.severity) for d in diagnostics] == [
        ("SF123", Severity.WARNING),
        ("SF120", Severity.WARNING),
    ]


def test_load_api_refuses_what_it_cannot_honour(write_spec: WriteSpec) -> None:
    api, diagnostics = load_api(write_spec(SPEC.replace("/a:", "/a/{id}:")))
    assert api is None
    assert [d.code for d in diagnostics if d.severity is Severity.ERROR] == ["SF111"]


def test_load_api_on_unloadable_spec(write_spec: WriteSpec) -> None:
    api, diagnostics = load_api(write_spec("swagger: '2.0'\n"))
    assert api is None
    assert [d.code for d in diagnostics] == ["SF005"]
