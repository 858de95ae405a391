"""The reference specs: valid OpenAPI 3.1, consistent with each other, complete.

The gateway merges the three specs: a component name used in two specs must
mean the same thing (identical content), operationIds must be unique, and
every operation must declare problem+json errors, a summary, tags, and the
headers the issue asks for.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from servicekit.spec import load_document
from typer.testing import CliRunner

from codegen.cli.app import app
from codegen.core.openapi import HTTP_METHODS
from codegen.core.problems.schema import PROBLEM_REF

SPECS = Path(__file__).resolve().parents[2] / "specs"
NAMES = ("catalog", "customers", "orders")
DOCS = {name: dict(load_document(SPECS / f"{name}.yaml").data) for name in NAMES}
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
OAUTH_ERROR = {"$ref": "#/components/schemas/OAuthError"}


def operations(name: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in DOCS[name]["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, section, key = node["$ref"].split("/")
        node = doc["components"][section][key]
    return node


@pytest.mark.parametrize("name", NAMES)
def test_spec_is_valid_openapi_31(name: str) -> None:
    assert DOCS[name]["openapi"].startswith("3.1")
    validate(DOCS[name], base_uri=(SPECS / f"{name}.yaml").as_uri())


def test_specfirst_validate_accepts_every_spec() -> None:
    result = CliRunner().invoke(app, ["validate", *(str(SPECS / f"{n}.yaml") for n in NAMES)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(NAMES, 2)))
def test_shared_component_names_have_identical_content(first: str, second: str) -> None:
    for section in ("schemas", "parameters", "responses", "headers", "securitySchemes"):
        left = DOCS[first]["components"].get(section, {})
        right = DOCS[second]["components"].get(section, {})
        for key in sorted(set(left) & set(right)):
            assert left[key] == right[key], f"components/{section}/{key}: {first} vs {second}"


def test_pagination_is_shared_by_all() -> None:
    for section, key in [("parameters", "Limit"), ("parameters", "Offset")]:
        values = [DOCS[n]["components"][section][key] for n in NAMES]
        assert values[0] == values[1] == values[2]


def test_operation_ids_are_unique_camel_case() -> None:
    ids = [op["operationId"] for n in NAMES for _, _, op in operations(n)]
    assert len(ids) == len(set(ids))
    assert all(CAMEL.match(i) for i in ids), ids


@pytest.mark.parametrize("name", NAMES)
def test_every_operation_is_documented_and_declares_problems(name: str) -> None:
    doc = DOCS[name]
    for path, method, op in operations(name):
        where = f"{name} {method.upper()} {path}"
        assert op.get("summary") and op.get("tags"), where
        errors = {status: r for status, r in op["responses"].items() if status[0] in "45"}
        assert errors, where
        for status, response in errors.items():
            content = dict(resolve(doc, response)["content"])
            # The one exception to the profile: a token endpoint answers OAuth clients
            # with the error JSON they expect (RFC 6749 §5.2).
            if content.pop("application/json", None) == {"schema": OAUTH_ERROR}:
                assert op["operationId"] == "issueToken", where
                if not content:
                    continue
            assert list(content) == ["application/problem+json"], (where, status)
            schema = content["application/problem+json"]["schema"]
            assert schema == {"$ref": PROBLEM_REF}, (where, status)  # the one profile


@pytest.mark.parametrize("name", NAMES)
def test_creates_answer_201_with_location_and_a_link(name: str) -> None:
    creates = [(p, op) for p, m, op in operations(name) if m == "post" and "201" in op["responses"]]
    assert creates
    for path, op in creates:
        created = op["responses"]["201"]
        assert "Location" in created["headers"], path
        assert created["links"], path


@pytest.mark.parametrize("name", NAMES)
def test_changes_need_if_match_and_declare_412_and_428(name: str) -> None:
    doc = DOCS[name]
    changes = [(p, op) for p, m, op in operations(name) if m in ("put", "patch")]
    assert changes
    for path, op in changes:
        params = [resolve(doc, p) for p in op.get("parameters", [])]
        assert any(p["name"] == "If-Match" and p["required"] for p in params), path
        assert {"412", "428"} <= set(op["responses"]), path


@pytest.mark.parametrize("name", NAMES)
def test_reads_of_one_resource_carry_an_etag(name: str) -> None:
    gets = [(p, op) for p, m, op in operations(name) if m == "get" and p.endswith("Id}")]
    etagged = [p for p, op in gets if "ETag" in op["responses"]["200"].get("headers", {})]
    assert etagged and len(etagged) >= len(gets) - 1  # stock reservations are never updated


def test_place_order_takes_an_idempotency_key() -> None:
    place = DOCS["orders"]["paths"]["/orders"]["post"]
    names = [resolve(DOCS["orders"], p)["name"] for p in place["parameters"]]
    assert "Idempotency-Key" in names
    assert {"409", "422", "503", "504"} <= set(place["responses"])


def test_payment_is_a_discriminated_one_of() -> None:
    payment = DOCS["orders"]["components"]["schemas"]["PaymentMethod"]
    assert payment["discriminator"]["propertyName"] == "method"
    assert set(payment["discriminator"]["mapping"]) == {"card", "bank_transfer", "voucher"}
    assert len(payment["oneOf"]) == 3


def test_security_schemes() -> None:
    assert DOCS["catalog"]["components"]["securitySchemes"]["apiKeyAuth"]["type"] == "apiKey"
    for name in ("customers", "orders"):
        scheme = DOCS[name]["components"]["securitySchemes"]["bearerAuth"]
        assert (scheme["scheme"], scheme["bearerFormat"]) == ("bearer", "JWT")
    reads = [op for path, m, op in operations("catalog") if m == "get" and "/stock" not in path]
    assert reads and all(op["security"] == [] for op in reads)
