"""validate_spec: one failing inline spec per SF1xx code, with code, place
and text asserted, and all findings reported at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.core.diagnostics import Diagnostic, Severity, SourceLocation
from codegen.core.spec.loader import load_spec
from codegen.core.spec.validate import combine, validate_spec

WriteSpec = Callable[..., Path]


def findings(write_spec: WriteSpec, text: str, name: str = "spec.yaml") -> list[Diagnostic]:
    loaded, load_diagnostics = load_spec(write_spec(text, name=name))
    assert loaded is not None
    return load_diagnostics + validate_spec(loaded)


def brief(diagnostics: list[Diagnostic]) -> list[tuple[str, int, str, str]]:
    return [(d.code, d.location.line, d.location.pointer, d.message) for d in diagnostics]


VALID_30 = """
openapi: 3.0.3
info: {title: Orders, version: '1'}
paths:
  /orders/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getOrder
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Order:
      type: object
      properties:
        id: {type: string, default: abc, example: xyz}
        n: {type: integer, nullable: true, default: null}
"""


def test_valid_spec_has_no_findings(write_spec: WriteSpec) -> None:
    assert findings(write_spec, VALID_30) == []
    assert (
        findings(
            write_spec,
            VALID_30.replace("3.0.3", "3.1.0")
            .replace("nullable: true, ", "")
            .replace("type: integer", "type: [integer, 'null']"),
        )
        == []
    )


def test_structural_errors_are_located_and_readable(write_spec: WriteSpec) -> None:
    text = """
    openapi: 3.0.3
    info: {title: t, version: '1'}
    paths:
      /a:
        get:
          summary: x
          foo: 1
          parameters:
            - {name: q, in: qeury, schema: {type: string}}
          responses:
            '200':
              descripton: ok
              content:
                application/json:
                  schema: {type: strin, minimum: x}
    """
    assert brief(findings(write_spec, text)) == [
        ("SF101", 7, "/paths/~1a/get/foo", "unknown field 'foo'"),
        (
            "SF104",
            9,
            "/paths/~1a/get/parameters/0/in",
            "'qeury' is not one of: 'path', 'query', 'header', 'cookie'",
        ),
        ("SF102", 11, "/paths/~1a/get/responses/200", "missing required field 'description'"),
        ("SF101", 12, "/paths/~1a/get/responses/200/descripton", "unknown field 'descripton'"),
        (
            "SF104",
            15,
            "/paths/~1a/get/responses/200/content/application~1json/schema/type",
            "'strin' is not one of: 'array', 'boolean', 'integer', 'number', 'object', 'string'",
        ),
        (
            "SF103",
            15,
            "/paths/~1a/get/responses/200/content/application~1json/schema/minimum",
            "expected a number, got the string 'x'",
        ),
    ]


def test_unknown_field_hint(write_spec: WriteSpec) -> None:
    [diagnostic] = findings(
        write_spec, VALID_30.replace("operationId: getOrder", "operationID: getOrder")
    )
    assert (diagnostic.code, diagnostic.hint) == ("SF101", "did you mean 'operationId'?")


def test_missing_path_parameter_required_flag(write_spec: WriteSpec) -> None:
    [diagnostic] = findings(write_spec, VALID_30.replace("in: path, required: true,", "in: path,"))
    assert diagnostic.code == "SF102"
    assert diagnostic.message == "missing required field 'required'"
    assert diagnostic.hint == "path parameters must be declared with 'required: true'"
    assert diagnostic.location.pointer == "/paths/~1orders~1{id}/parameters/0"


def test_type_error_message(write_spec: WriteSpec) -> None:
    [diagnostic] = findings(
        write_spec,
        VALID_30.replace("info: {title: Orders, version: '1'}", "info: {title: [1], version: '1'}"),
    )
    assert (diagnostic.code, diagnostic.message) == ("SF103", "expected a string, got an array")
    assert diagnostic.location.pointer == "/info/title"


def test_duplicate_operation_id_sf110(write_spec: WriteSpec) -> None:
    text = VALID_30.replace(
        "components:",
        "  /other:\n    post:\n      operationId: getOrder\n"
        "      responses: {'204': {description: x}}\ncomponents:",
    )
    [diagnostic] = findings(write_spec, text)
    assert diagnostic.code == "SF110"
    assert diagnostic.location.pointer == "/paths/~1other/post/operationId"
    assert diagnostic.location.line == 17
    assert diagnostic.message.startswith("operationId 'getOrder' is already used at ")
    assert diagnostic.message.endswith("spec.yaml:8")


def test_path_parameters_sf111_sf112(write_spec: WriteSpec) -> None:
    text = VALID_30.replace("{name: id, in: path", "{name: order_id, in: path")
    assert brief(findings(write_spec, text)) == [
        (
            "SF112",
            6,
            "/paths/~1orders~1{id}/parameters/0",
            "path parameter 'order_id' of GET /orders/{id} is not in the path template "
            "'/orders/{id}'",
        ),
        (
            "SF111",
            7,
            "/paths/~1orders~1{id}/get",
            "path parameter 'id' in '/orders/{id}' is not declared for GET",
        ),
    ]


def test_duplicate_parameter_sf113(write_spec: WriteSpec) -> None:
    text = VALID_30.replace(
        "      - {name: id, in: path, required: true, schema: {type: string}}\n",
        "      - {name: id, in: path, required: true, schema: {type: string}}\n"
        "      - {name: X-Trace, in: header, schema: {type: string}}\n"
        "      - {name: x-trace, in: header, schema: {type: string}}\n",
    )
    assert brief(findings(write_spec, text)) == [
        (
            "SF113",
            8,
            "/paths/~1orders~1{id}/parameters/2",
            "parameter 'x-trace' (in: header) is declared twice in this list "
            "(first at #/paths/~1orders~1{id}/parameters/1)",
        ),
    ]


def test_repeated_template_parameter_sf114(write_spec: WriteSpec) -> None:
    text = VALID_30.replace("/orders/{id}:", "/orders/{id}/lines/{id}:")
    codes = brief(findings(write_spec, text))
    assert codes[0] == (
        "SF114",
        4,
        "/paths/~1orders~1{id}~1lines~1{id}",
        "path template '/orders/{id}/lines/{id}' uses parameter 'id' more than once",
    )


@pytest.mark.parametrize(
    ("second_method", "code", "severity", "message"),
    [
        (
            "get",
            "SF115",
            Severity.ERROR,
            "GET '/orders/{key}' cannot be told apart from the same operation on '/orders/{id}': "
            "the templates differ only in names",
        ),
        (
            "delete",
            "SF118",
            Severity.ERROR,
            "path '/orders/{key}' is the same template as '/orders/{id}' with different parameter "
            "names, which OpenAPI forbids (their methods differ, so requests can still be routed)",
        ),
    ],
)
def test_equivalent_templates(
    write_spec: WriteSpec, second_method: str, code: str, severity: Severity, message: str
) -> None:
    text = VALID_30.replace(
        "components:",
        f"  /orders/{{key}}:\n    {second_method}:\n"
        "      parameters: [{name: key, in: path, required: true, schema: {type: string}}]\n"
        "      responses: {'204': {description: x}}\ncomponents:",
    )
    [diagnostic] = findings(write_spec, text)
    assert (diagnostic.code, diagnostic.severity, diagnostic.message) == (code, severity, message)
    assert diagnostic.location.pointer == "/paths/~1orders~1{key}"


def test_undefined_security_scheme_sf116(write_spec: WriteSpec) -> None:
    text = VALID_30.replace(
        "      operationId: getOrder\n",
        "      operationId: getOrder\n      security: [{oauth: [read]}]\n",
    )
    assert brief(findings(write_spec, text)) == [
        (
            "SF116",
            9,
            "/paths/~1orders~1{id}/get/security/0/oauth",
            "security scheme 'oauth' is not defined in components/securitySchemes",
        ),
    ]


def test_discriminator_property_missing_sf117(write_spec: WriteSpec) -> None:
    text = VALID_30 + (
        "    Pet:\n      oneOf: [{$ref: '#/components/schemas/Cat'},"
        " {$ref: '#/components/schemas/Dog'}]\n"
        "      discriminator: {propertyName: kind}\n"
        "    Cat: {type: object, properties: {kind: {type: string}}}\n"
        "    Dog: {allOf: [{$ref: '#/components/schemas/Base'}]}\n"
        "    Base: {type: object, properties: {name: {type: string}}}\n"
    )
    [diagnostic] = findings(write_spec, text)
    assert (diagnostic.code, diagnostic.severity) == ("SF117", Severity.WARNING)
    assert (
        diagnostic.message
        == "discriminator property 'kind' is not declared by oneOf member 1 of 'Pet'"
    )
    assert diagnostic.location.pointer == "/components/schemas/Pet/oneOf/1"


def test_default_and_example_mismatch_sf120_sf121(write_spec: WriteSpec) -> None:
    text = VALID_30.replace("default: abc, example: xyz", "default: 5, example: 6, maxLength: 2")
    assert [
        (d.code, d.severity, d.location.pointer, d.message) for d in findings(write_spec, text)
    ] == [
        (
            "SF120",
            Severity.ERROR,
            "/components/schemas/Order/properties/id/default",
            "default 5 does not match its schema: 5 is not of type 'string'",
        ),
        (
            "SF121",
            Severity.WARNING,
            "/components/schemas/Order/properties/id/example",
            "example 6 does not match its schema: 6 is not of type 'string'",
        ),
    ]


def test_default_checked_through_refs_and_nullable(write_spec: WriteSpec) -> None:
    text = VALID_30.replace(
        "n: {type: integer, nullable: true, default: null}",
        "n: {type: integer, nullable: true, default: null}\n"
        "        status: {allOf: [{$ref: '#/components/schemas/Status'}], default: nope}\n"
        "    Status: {type: string, enum: [open, closed]}",
    )
    [diagnostic] = findings(write_spec, text)
    assert diagnostic.code == "SF120"
    assert diagnostic.message.startswith(
        "default 'nope' does not match its schema: 'nope' is not one of"
    )


@pytest.mark.parametrize(
    ("pattern", "code", "severity", "message"),
    [
        (
            r"^\p{L}+$",
            "SF123",
            Severity.WARNING,
            "pattern '^\\\\p{L}+$' is valid ECMA-262 but Python's re cannot compile it "
            "(bad escape \\p "
            "at position 1); generated code checks it with the regex package",
        ),
        (
            "^([a-z]+$",
            "SF122",
            Severity.ERROR,
            "pattern '^([a-z]+$' is not a valid regular expression: missing ) at position 9",
        ),
    ],
)
def test_patterns_sf122_sf123(
    write_spec: WriteSpec, pattern: str, code: str, severity: Severity, message: str
) -> None:
    text = VALID_30.replace("default: abc, example: xyz", f"pattern: '{pattern}'")
    [diagnostic] = findings(write_spec, text)
    assert (diagnostic.code, diagnostic.severity, diagnostic.message) == (code, severity, message)
    assert diagnostic.location.pointer == "/components/schemas/Order/properties/id/pattern"


def test_findings_in_other_files_point_into_them(write_spec: WriteSpec) -> None:
    text = VALID_30.replace("$ref: '#/components/schemas/Order'", "$ref: 'common.yaml#/Money'")
    write_spec(
        "Money:\n  type: object\n  properties:\n    amount: {type: number, default: ten}\n",
        name="common.yaml",
    )
    [diagnostic] = findings(write_spec, text)
    assert diagnostic.code == "SF120"
    assert diagnostic.location.file.endswith("common.yaml")
    assert (diagnostic.location.line, diagnostic.location.pointer) == (
        4,
        "/Money/properties/amount/default",
    )


def test_all_findings_at_once(write_spec: WriteSpec) -> None:
    text = (
        VALID_30.replace("{name: id, in: path", "{name: order_id, in: path")
        .replace("default: abc", "default: 1")
        .replace("$ref: '#/components/schemas/Order'", "$ref: '#/components/schemas/Ordr'")
    )
    codes = sorted(d.code for d in findings(write_spec, text))
    assert codes == ["SF011", "SF111", "SF112", "SF120"]


def test_discriminator_mapping_to_nothing_sf119(write_spec: WriteSpec, tmp_path: Path) -> None:
    text = VALID_30 + (
        "    Pet:\n      oneOf: [{$ref: '#/components/schemas/Order'}]\n"
        "      discriminator: {propertyName: id, mapping: {order: Order, cat: Cat,"
        " dog: '#/components/schemas/Dog'}}\n"
    )
    where = "/components/schemas/Pet/discriminator/mapping"
    assert brief(findings(write_spec, text)) == [
        (
            "SF119",
            24,
            f"{where}/cat",
            "discriminator mapping 'cat' points to no schema: $ref '#/components/schemas/Cat' "
            f"points to nothing: {tmp_path}/spec.yaml has no 'Cat' at #/components/schemas",
        ),
        (
            "SF119",
            24,
            f"{where}/dog",
            "discriminator mapping 'dog' points to no schema: $ref '#/components/schemas/Dog' "
            f"points to nothing: {tmp_path}/spec.yaml has no 'Dog' at #/components/schemas",
        ),
    ]


def test_combine_keeps_one_finding_per_mistake() -> None:
    def at(code: str, pointer: str, severity: Severity = Severity.ERROR) -> Diagnostic:
        return Diagnostic(code, severity, "m", SourceLocation("s.yaml", 1, 1, pointer))

    validation = [at("SF103", "/paths/~1a/get/requestBody"), at("SF121", "/x", Severity.WARNING)]
    build = [
        at("SF202", "/paths/~1a/get/requestBody"),  # same place: dropped
        at("SF202", "/paths/~1a/get/requestBody/content"),  # below it: dropped
        at("SF203", "/x/y"),  # below a warning only: kept
        at("SF202", "/paths/~1a/getter"),  # a sibling, not below: kept
    ]
    assert [(d.code, d.location.pointer) for d in combine(validation, build)] == [
        ("SF103", "/paths/~1a/get/requestBody"),
        ("SF202", "/paths/~1a/getter"),
        ("SF121", "/x"),
        ("SF203", "/x/y"),
    ]


def test_query_string_in_path_sf108(write_spec: WriteSpec) -> None:
    text = VALID_30.replace("/orders/{id}:", "/orders/{id}?expand={expand}:")
    [diagnostic] = findings(write_spec, text)
    assert (diagnostic.code, diagnostic.location.pointer) == (
        "SF108",
        "/paths/~1orders~1{id}?expand={expand}",
    )
    assert diagnostic.message == (
        "path '/orders/{id}?expand={expand}' contains a query string; paths are matched without it"
    )


def test_dollar_ref_as_data_or_property_name_is_not_a_reference(write_spec: WriteSpec) -> None:
    text = VALID_30.replace(
        "        n: {type: integer, nullable: true, default: null}\n",
        "        n: {type: integer, nullable: true, default: null}\n"
        "        $ref: {type: string}\n"
        "        doc: {type: object, example: {$ref: '#/nowhere'}, default: {$ref: 'x.yaml'}}\n",
    ).replace(
        "              schema: {$ref: '#/components/schemas/Order'}\n",
        "              schema: {$ref: '#/components/schemas/Order'}\n"
        "              examples:\n                default: {value: {$ref: '#/nowhere'}}\n",
    )
    assert findings(write_spec, text) == []


def test_31_schemas_are_checked_against_json_schema_2020_12(write_spec: WriteSpec) -> None:
    text = (
        VALID_30.replace("3.0.3", "3.1.0")
        .replace("nullable: true, ", "")
        .replace("type: integer", "type: [integer, nul]")
        .replace("default: abc, example: xyz", "required: yes")
    )
    assert brief(findings(write_spec, text)) == [
        (
            "SF103",
            20,
            "/components/schemas/Order/properties/id/required",
            "expected an array, got the string 'yes'",
        ),
        (
            "SF104",
            21,
            "/components/schemas/Order/properties/n/type/1",
            "'nul' is not one of: 'array', 'boolean', 'integer', 'null', 'number', 'object', "
            "'string'",
        ),
    ]


def test_openapi_30_habits_in_31_sf106_sf107(write_spec: WriteSpec) -> None:
    text = VALID_30.replace("3.0.3", "3.1.0").replace(
        "n: {type: integer, nullable: true, default: null}",
        "n: {type: integer, nullable: true, minimum: 0, exclusiveMinimum: true}",
    )
    assert [(d.code, d.severity, d.location.pointer) for d in findings(write_spec, text)] == [
        ("SF106", Severity.WARNING, "/components/schemas/Order/properties/n/nullable"),
        ("SF107", Severity.ERROR, "/components/schemas/Order/properties/n/exclusiveMinimum"),
    ]


def test_patterns_python_warns_about_are_checked_quietly(write_spec: WriteSpec) -> None:
    text = VALID_30.replace("default: abc, example: xyz", "pattern: '^[[a-z]+$', default: '[a'")
    assert findings(write_spec, text) == []  # and no FutureWarning (an error under pytest)


def test_repeated_nullable_in_31_is_summarised(write_spec: WriteSpec) -> None:
    text = VALID_30.replace("3.0.3", "3.1.0").replace(
        "id: {type: string, default: abc, example: xyz}",
        "id: {type: string, nullable: true}\n        m: {type: string, nullable: true}",
    )
    [diagnostic] = findings(write_spec, text)
    assert diagnostic.code == "SF106"
    assert diagnostic.location.pointer == "/components/schemas/Order/properties/id/nullable"
    assert diagnostic.message.endswith("(and 2 more like it in this file)")


def test_parameter_and_media_type_examples_sf121(write_spec: WriteSpec) -> None:
    text = (
        VALID_30.replace(
            "{name: id, in: path, required: true, schema: {type: string}}",
            "{name: id, in: path, required: true, example: abc,"
            " schema: {type: string, maxLength: 2}}",
        ).replace(
            "              schema: {$ref: '#/components/schemas/Order'}\n",
            "              schema: {$ref: '#/components/schemas/Order'}\n"
            "              examples:\n"
            "                good: {value: {id: x}}\n"
            "                bad: {$ref: '#/components/examples/Bad'}\n",
        )
        + "  examples:\n    Bad: {value: {id: 7}}\n"
    )
    assert [(d.code, d.location.pointer, d.message) for d in findings(write_spec, text)] == [
        (
            "SF121",
            "/paths/~1orders~1{id}/parameters/0/example",
            "example 'abc' does not match the schema: 'abc' is too long",
        ),
        (
            "SF121",
            "/components/examples/Bad/value",
            "example {'id': 7} does not match the schema: 7 is not of type 'string' (at /id)",
        ),
    ]


def test_examples_false_checks_every_value_but_the_examples(write_spec: WriteSpec) -> None:
    """``serve``'s call: schema, parameter and media type examples go unchecked
    (SF121), defaults and patterns are checked as ``validate`` checks them."""
    text = VALID_30.replace(
        "default: abc, example: xyz", "default: 5, example: 6, pattern: '^(a$'"
    ).replace(
        "              schema: {$ref: '#/components/schemas/Order'}\n",
        "              schema: {$ref: '#/components/schemas/Order'}\n"
        "              example: {id: 7}\n",
    )
    loaded, _ = load_spec(write_spec(text))
    assert loaded is not None
    every = {d.code for d in validate_spec(loaded)}
    assert every == {"SF120", "SF121", "SF122"}
    assert {d.code for d in validate_spec(loaded, examples=False)} == every - {"SF121"}


def test_example_patterns_use_ecma_semantics_and_cannot_hang(write_spec: WriteSpec) -> None:
    text = VALID_30.replace(
        "id: {type: string, default: abc, example: xyz}",
        "id: {type: string, pattern: '^\\p{L}+$', example: 'é1'}\n"
        "        slow: {type: string, pattern: '^(a|aa)+$', example: '" + "a" * 60 + "b'}",
    )
    start = time.perf_counter()
    diagnostics = findings(write_spec, text)
    assert time.perf_counter() - start < 30  # catastrophic backtracking is cut short
    assert [(d.code, d.location.pointer, d.message) for d in diagnostics] == [
        (
            "SF123",
            "/components/schemas/Order/properties/id/pattern",
            "pattern '^\\\\p{L}+$' is valid ECMA-262 but Python's re cannot compile it "
            "(bad escape \\p at position 1); generated code checks it with the regex package",
        ),
        (
            "SF121",
            "/components/schemas/Order/properties/id/example",
            "example 'é1' does not match its schema: 'é1' does not match '^\\\\p{L}+$'",
        ),
    ]


ANCHORED_31 = """
openapi: 3.1.0
info: {title: Tags, version: '1'}
paths: {}
components:
  schemas:
    Tag:
      $id: https://example.com/schemas/tag
      type: object
      properties:
        colour: {$ref: '#colour', default: DEFAULT}
        size: {$ref: 'size', examples: [EXAMPLE]}
      $defs:
        colour: {$anchor: colour, type: string, enum: [red, green]}
        size: {$id: size, type: integer}
"""


@pytest.mark.parametrize(
    ("default", "example", "expected"),
    [
        ("red", "3", []),
        (
            "blue",
            "big",
            [
                ("SF120", "/components/schemas/Tag/properties/colour/default"),
                ("SF121", "/components/schemas/Tag/properties/size/examples/0"),
            ],
        ),
    ],
)
def test_31_values_are_checked_through_ids_and_anchors(
    write_spec: WriteSpec, default: str, example: str, expected: list[tuple[str, str]]
) -> None:
    """A default or example whose schema is reached by ``$anchor`` or by a
    reference relative to an ``$id`` is checked as JSON Schema resolves it."""
    text = ANCHORED_31.replace("DEFAULT", default).replace("EXAMPLE", example)
    assert [(d.code, d.location.pointer) for d in findings(write_spec, text)] == expected
