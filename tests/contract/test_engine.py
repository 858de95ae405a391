"""The schemathesis configuration a run uses, reports, and the format-filter hook."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import jwt
import schemathesis
from rich.console import Console

from codegen.core.auth.defaults import DEV_JWT_AUDIENCE, DEV_JWT_ISSUER
from codegen.verify.contract.credentials import auth_config, auth_headers, dev_credentials
from codegen.verify.contract.engine import (
    CHECKS,
    STATEFUL_SCENARIOS,
    RunOptions,
    schemathesis_config,
)
from codegen.verify.contract.report import as_json, junit_xml, print_summary
from codegen.verify.contract.results import CheckFailure, TargetResult
from codegen.verify.contract.st_hooks import body_breaks_a_format

SCHEMES = {
    "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
    "jwt": {"type": "http", "scheme": "bearer"},
    "basic": {"type": "http", "scheme": "basic"},
}


def test_every_check_both_modes_and_all_phases_are_on() -> None:
    creds = dev_credentials()
    config = schemathesis_config(
        "http://127.0.0.1:1",
        RunOptions(seed=3, max_examples=4, time_budget=10),
        auth_config(SCHEMES, creds),
        {},
        {"checks": {"positive_data_acceptance": {"expected-statuses": [200, 422]}}},
    )
    project = schemathesis.Config.from_dict(config).projects.get_default()
    assert project.generation.modes == [
        schemathesis.GenerationMode.POSITIVE,
        schemathesis.GenerationMode.NEGATIVE,
    ]
    assert project.generation.max_examples == 4
    stateful = project.generation_for(phase="stateful")
    assert stateful.max_examples == 4 * STATEFUL_SCENARIOS  # chains along links need more
    assert stateful.modes == project.generation.modes
    for name in CHECKS:
        assert project.checks.get_by_name(name=name).enabled, name
    assert project.checks.positive_data_acceptance.expected_statuses == ["200", "422"]
    assert all(
        project.phases.get_by_name(name=p).enabled
        for p in ("examples", "coverage", "fuzzing", "stateful")
    )
    assert config["auth"] == {
        "openapi": {"key": {"api_key": creds.api_key}, "jwt": {"bearer": creds.token}}
    }


def test_an_operation_filter_turns_the_stateful_phase_off() -> None:
    config = schemathesis_config("http://x", RunOptions(1, 1, 1, ("getThing",)), {}, {}, {})
    assert config["phases"]["stateful"]["enabled"] is False


def test_credentials_are_accepted_shapes() -> None:
    creds = dev_credentials()
    claims = jwt.decode(
        creds.token,
        creds.jwt_secret,
        algorithms=["HS256"],
        audience=DEV_JWT_AUDIENCE,
        issuer=DEV_JWT_ISSUER,
        options={"require": ["iss", "aud", "sub", "exp"]},
    )
    assert (
        claims["scope"] == "admin"
        and claims["sub"] == creds.subject
        and claims["exp"] > claims["iat"]
    )
    assert auth_headers(SCHEMES, creds) == {
        "X-Key": creds.api_key,
        "Authorization": f"Bearer {creds.token}",
    }


def result() -> TargetResult:
    target = TargetResult(name="svc", base_url="http://x", seed=9)
    target.operation("GET /a", "getA").cases = 3
    target.operation("POST /a", "createA").cases = 2
    target.failures.append(
        CheckFailure(
            "POST /a",
            "ignored_auth",
            "Auth ignored",
            "no 401",
            "curl -X POST http://x/a",
            201,
            '{"id": 1}',
        )
    )
    return target


def test_junit_has_a_case_per_operation_and_a_failure_with_curl() -> None:
    root = ET.fromstring(junit_xml([result()]).split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "1" and suite.get("tests") == "2"
    names = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(names) == {"GET /a (getA)", "POST /a (createA)"}
    failure = names["POST /a (createA)"].find("failure")
    assert failure is not None and failure.get("message") == "ignored_auth: Auth ignored"
    assert "curl -X POST http://x/a" in (failure.text or "")
    assert suite.find("properties/property[@name='seed']").get("value") == "9"  # type: ignore[union-attr]


def test_json_report() -> None:
    data: dict[str, Any] = as_json([result()])
    assert (data["ok"], data["cases"]) == (False, 5)
    assert data["targets"][0]["failures"][0]["status"] == 201


def test_format_filter_only_drops_format_violations() -> None:
    spec = {
        "components": {
            "schemas": {
                "C": {
                    "type": "object",
                    "properties": {
                        "p": {"type": ["string", "null"], "format": "uuid"},
                        "n": {"type": "integer", "maximum": 3},
                    },
                }
            }
        }
    }
    operation = {
        "requestBody": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/C"}}}
        }
    }
    assert body_breaks_a_format(spec, operation, "application/json", {"p": ""})
    assert not body_breaks_a_format(spec, operation, "application/json", {"p": None, "n": 99})
    assert not body_breaks_a_format(spec, operation, "text/plain", {"p": ""})


def test_console_summary_names_operations_failures_and_curl() -> None:
    console = Console(record=True, width=200)
    print_summary(console, [result()])
    text = console.export_text()
    assert "svc: FAILED  seed 9  5 cases  1 failures" in text
    assert "POST /a (createA)" in text and "GET /a (getA)" in text
    assert "FAIL svc POST /a ignored_auth: Auth ignored (got 201)" in text
    assert "reproduce: curl -X POST http://x/a" in text
    assert 'response: {"id": 1}' in text
