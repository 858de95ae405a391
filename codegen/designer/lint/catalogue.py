"""The lint rule catalogue: stable ids, names, default severities, reasons and fixes.

This table is data (docs/lint.md documents the same rows, and a test keeps the
two in step). A rule's id (``SF3xx``) and name never change meaning; its
severity can be re-graded in ``pyproject.toml`` and a rule can be turned off.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.core.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    reason: str
    fix: str
    enabled: bool = True  # False: opt-in through ``enable = [...]``


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: tuple[Rule, ...] = (
    Rule(
        "SF301",
        "operation-id-missing",
        E,
        "Every operation has an operationId.",
        "Generated code, SDK method names and links refer to operations by operationId; "
        "without one, names are derived from the path and change when the path does.",
        "Add an `operationId` in lowerCamelCase, e.g. `listOrders`.",
    ),
    Rule(
        "SF302",
        "operation-id-duplicate",
        E,
        "operationIds are unique across the spec.",
        "OpenAPI requires operationIds to be unique; links and generated code would "
        "reach the wrong operation.",
        "Rename one of the operations.",
    ),
    Rule(
        "SF303",
        "operation-id-casing",
        W,
        "operationIds all use the same casing style.",
        "Mixed styles (listOrders, get_order) produce an inconsistent SDK and hint at "
        "copy-pasted operations.",
        "Rename the operation to the casing most operations in the spec already use.",
    ),
    Rule(
        "SF304",
        "summary-missing",
        W,
        "Every operation has a summary.",
        "Documentation, mock servers and SDK docstrings show the summary; without it "
        "readers see only a method and a path.",
        "Add a one-line `summary`.",
    ),
    Rule(
        "SF305",
        "tag-undeclared",
        W,
        "Tags used by operations are declared in the top-level `tags` list.",
        "Undeclared tags have no description and no order in documentation, and are "
        "often typos that split a group of operations in two.",
        "Declare the tag under the top-level `tags` (with a description), or fix its spelling.",
    ),
    Rule(
        "SF306",
        "path-param-undeclared",
        E,
        "Every `{name}` in a path template has a matching `in: path` parameter.",
        "Servers and clients cannot validate or encode a path segment nobody declared.",
        "Declare the parameter with `in: path`, `required: true` and a schema.",
    ),
    Rule(
        "SF307",
        "path-param-unused",
        E,
        "Every `in: path` parameter appears in its path template.",
        "A path parameter that is not in the template can never be sent; it is usually "
        "a renamed template variable.",
        "Rename the parameter to match the template variable, or remove it.",
    ),
    Rule(
        "SF308",
        "path-ambiguous",
        E,
        "No two path templates differ only in parameter names.",
        "`/a/{x}` and `/a/{y}` match exactly the same requests, so routing depends on "
        "declaration order.",
        "Merge the two path items into one template.",
    ),
    Rule(
        "SF309",
        "success-response-missing",
        E,
        "Every operation declares a success (2XX or 3XX) response.",
        "Without one, clients, mocks and contract tests do not know what a successful "
        "call returns.",
        "Add the success response, e.g. `200` with its content.",
    ),
    Rule(
        "SF310",
        "problem-response-missing",
        W,
        "Every operation declares an error response with `application/problem+json`.",
        "Errors are RFC 9457 problem details across all services; clients rely on one error shape.",
        "Add a `4XX`/`default` response whose content is `application/problem+json`.",
    ),
    Rule(
        "SF311",
        "create-not-201",
        W,
        "A create (POST to a collection that has an item path) answers 201.",
        "`201 Created` tells clients and caches that a new resource exists at a new URL.",
        "Declare `201` as the create's success response.",
    ),
    Rule(
        "SF312",
        "create-location-missing",
        W,
        "A 201 response, and a create's success response, has a `Location` header or a link.",
        "Clients and stateful tests follow the Location or link to reach what was created.",
        "Add a `Location` response header, or a `links` entry that reads the new resource.",
    ),
    Rule(
        "SF313",
        "schema-type-missing",
        W,
        "Every schema has an explicit `type` (or is a $ref, composition, enum or const).",
        "A schema without a type accepts any JSON value, which is rarely intended and "
        "makes generated code fall back to `Any`.",
        "Add `type`, or use `$ref`/`allOf`/`oneOf`/`anyOf` if the value is composed.",
    ),
    Rule(
        "SF314",
        "example-invalid",
        E,
        "Every `example`, `examples` entry and `default` is valid against its schema.",
        "Invalid examples mislead readers, and mocks would serve responses that break "
        "their own contract.",
        "Fix the example (or the schema); the message names the failing keyword.",
    ),
    Rule(
        "SF315",
        "component-unused",
        W,
        "Every component is reachable from a path, webhook or security requirement.",
        "Unused components are dead weight: they are generated, documented and reviewed "
        "but never used.",
        "Remove the component, or reference it where it was meant to be used.",
    ),
    Rule(
        "SF316",
        "write-security-missing",
        E,
        "Every write (POST, PUT, PATCH, DELETE) requires authentication.",
        "A write without a security requirement (or with an empty `{}` alternative) is "
        "callable anonymously.",
        "Add a `security` requirement, or waive the finding with a reason if the "
        "operation is deliberately public.",
    ),
    Rule(
        "SF317",
        "pagination-inconsistent",
        W,
        "Every paginated list uses the same pagination shape.",
        "Clients write one pagination loop; a list that pages with different parameters "
        "or a different envelope breaks it.",
        "Use the same query parameters and response envelope as the other lists.",
    ),
    Rule(
        "SF318",
        "nullable-allof-without-type",
        E,
        "In OpenAPI 3.0, `nullable: true` beside `allOf` comes with a `type`.",
        "OpenAPI 3.0.3 states that `nullable` only has an effect when `type` is given in "
        "the same schema, so the value is silently not nullable.",
        "Add the `type` (e.g. `type: object`) beside `nullable: true` and `allOf`.",
    ),
    Rule(
        "SF319",
        "waiver-invalid",
        E,
        "Every `x-specfirst-ignore` waiver names a known rule and gives a reason.",
        "A waiver hides a finding; its reason is the review record of why that is right.",
        "Write the waiver as `- {rule: SF316, reason: why this is fine}`.",
    ),
    Rule(
        "SF320",
        "waiver-unused",
        W,
        "Every `x-specfirst-ignore` waiver suppresses a finding.",
        "A waiver that matches nothing is stale (the problem was fixed or it sits on the "
        "wrong object) and would hide a future finding.",
        "Remove the waiver, or move it to the object the finding is reported at.",
    ),
    Rule(
        "SF321",
        "description-missing",
        INFO,
        "Every operation has a description (opt-in).",
        "Longer explanations belong in `description`; strict style guides require one.",
        "Add a `description`.",
        enabled=False,
    ),
    Rule(
        "SF322",
        "body-extra-properties-unstated",
        W,
        "Every object a request body may hold states `additionalProperties` "
        "(or `unevaluatedProperties`).",
        "Whether a service refuses properties it does not declare is the spec's decision; "
        "an object that says nothing accepts them and drops them, so a client's typo "
        "(`nmae`) or a field it may not set goes unnoticed.",
        "Write `additionalProperties: false` to refuse unknown properties with 400 (a part of "
        "an `allOf` is judged by the schema composing it; in 3.1 put "
        "`unevaluatedProperties: false` there), or `additionalProperties: true` (or a "
        "schema) to take them on purpose.",
    ),
)

RULES_BY_KEY: dict[str, Rule] = {
    **{rule.id: rule for rule in RULES},
    **{rule.name: rule for rule in RULES},
}


def find_rule(key: str) -> Rule | None:
    """A rule by id (``"SF304"``, case-insensitive) or by name (``"summary-missing"``)."""
    return RULES_BY_KEY.get(key.upper() if key.lower().startswith("sf") else key)
