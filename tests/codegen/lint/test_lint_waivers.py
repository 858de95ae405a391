"""``x-specfirst-ignore`` waivers: scope, accepted forms, and the findings about
waivers themselves (SF319 no reason / unknown rule, SF320 unused)."""

from __future__ import annotations

import pytest

from tests.codegen.lint.helpers import WriteSpec, codes, lint, only

SPEC = """
openapi: 3.1.0
info: {{title: Shop, version: "1"}}
paths:
  /signup:
    post:
      operationId: signUp
      summary: Sign up
      {waiver}
      responses: {{"204": {{description: done}}}}
  /accounts:
    delete:
      operationId: deleteAccounts
      summary: Delete
      responses: {{"204": {{description: done}}}}
"""


def spec_with(waiver: str) -> str:
    return SPEC.format(waiver=waiver)


@pytest.mark.parametrize(
    "waiver",
    [
        'x-specfirst-ignore: [{rule: SF316, reason: "sign-up is anonymous by design"}]',
        'x-specfirst-ignore: [{rule: write-security-missing, reason: "anonymous by design"}]',
        'x-specfirst-ignore: {SF316: "sign-up is anonymous by design"}',
        'x-specfirst-ignore: {rule: SF316, reason: "sign-up is anonymous by design"}',
    ],
    ids=["list", "rule-name", "mapping", "single"],
)
def test_waiver_suppresses_only_its_own_finding(write_spec: WriteSpec, waiver: str) -> None:
    found = only(lint(write_spec, spec_with(waiver)), "SF316")
    assert [d.location.pointer for d in found] == ["/paths/~1accounts/delete"]
    assert "SF319" not in codes(lint(write_spec, spec_with(waiver)))


def test_without_waiver_both_writes_are_reported(write_spec: WriteSpec) -> None:
    found = only(lint(write_spec, spec_with("")), "SF316")
    assert [d.location.pointer for d in found] == [
        "/paths/~1signup/post",
        "/paths/~1accounts/delete",
    ]


def test_waiver_on_an_ancestor_covers_findings_below_it(write_spec: WriteSpec) -> None:
    text = spec_with("").replace(
        "paths:\n", 'paths:\n  x-specfirst-ignore: [{rule: SF316, reason: "internal API"}]\n', 1
    )
    assert only(lint(write_spec, text), "SF316") == []


def test_waiver_without_reason_is_a_finding_and_waives_nothing(write_spec: WriteSpec) -> None:
    diagnostics = lint(write_spec, spec_with("x-specfirst-ignore: [{rule: SF316}]"))
    (problem,) = only(diagnostics, "SF319")
    assert problem.message == (
        "waiver for SF316 (write-security-missing) gives no reason, so it waives nothing"
    )
    assert problem.location.pointer == "/paths/~1signup/post/x-specfirst-ignore/0"
    assert problem.location.line == 8
    assert len(only(diagnostics, "SF316")) == 2


@pytest.mark.parametrize(
    ("waiver", "message"),
    [
        (
            'x-specfirst-ignore: [{rule: SF999, reason: "x"}]',
            "waiver names no rule that can be waived: 'SF999'",
        ),
        ("x-specfirst-ignore: [SF316]", None),
        ('x-specfirst-ignore: {SF316: ""}', None),
        (
            'x-specfirst-ignore: [{rule: SF319, reason: "x"}]',
            "waiver names no rule that can be waived: 'SF319'",
        ),
    ],
    ids=["unknown-rule", "bare-id", "empty-reason", "unwaivable"],
)
def test_invalid_waivers(write_spec: WriteSpec, waiver: str, message: str | None) -> None:
    (problem,) = only(lint(write_spec, spec_with(waiver)), "SF319")
    expected = message or (
        "waiver for SF316 (write-security-missing) gives no reason, so it waives nothing"
    )
    assert problem.message == expected


def test_unused_waiver_is_reported(write_spec: WriteSpec) -> None:
    text = spec_with('x-specfirst-ignore: [{rule: SF304, reason: "has none"}]')
    (stale,) = only(lint(write_spec, text), "SF320")
    assert stale.message == "waiver for SF304 matches no finding here; remove it"
    assert stale.location.pointer == "/paths/~1signup/post/x-specfirst-ignore/0"


def test_waiver_in_a_referenced_file(write_spec: WriteSpec) -> None:
    write_spec(
        """
Anything:
  description: free-form by design
  x-specfirst-ignore: [{rule: SF313, reason: "arbitrary JSON is the contract"}]
Loose:
  description: no type
""",
        "common.yaml",
    )
    spec = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        a: {$ref: 'common.yaml#/Anything'}
        b: {$ref: 'common.yaml#/Loose'}
"""
    found = only(lint(write_spec, spec), "SF313")
    assert [(d.location.file.rsplit("/", 1)[-1], d.location.pointer) for d in found] == [
        ("common.yaml", "/Loose")
    ]
