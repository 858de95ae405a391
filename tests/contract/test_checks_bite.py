"""Proof that the contract checks bite: one injected violation per kind, each caught.

Every test copies the catalog service and its spec to a temporary project,
breaks exactly one promise with a middleware (see :mod:`.violations`), runs
the real ``specfirst test`` CLI on the affected operation and asserts that it
exits 1 naming that operation and the check that must catch the violation.
The control test runs the same operations on an untouched copy and passes,
so each failure comes from its injection.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.contract.violations import copy_project, inject

pytestmark = [pytest.mark.contract, pytest.mark.e2e]

SPECFIRST = str(Path(sys.executable).with_name("specfirst"))
SERVICE = "catalog"
ITEM = r"/categories/[^/]+"
COLLECTION = r"/categories"


def run_contract(root: Path, *operation_ids: str) -> tuple[int, dict[str, Any]]:
    argv = [
        SPECFIRST,
        "test",
        SERVICE,
        "--no-gateway",
        "--root",
        str(root),
        "--seed",
        "7",
        "--max-examples",
        "5",
        "--time-budget",
        "60",
        "--json",
    ]
    for operation_id in operation_ids:
        argv += ["--operation", operation_id]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, check=False)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def failures(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["operation"], f["check"]) for t in report["targets"] for f in t["failures"]}


def assert_caught(root: Path, operation_id: str, operation: str, checks: set[str]) -> None:
    code, report = run_contract(root, operation_id)
    found = failures(report)
    assert code == 1, found
    assert {check for op, check in found if op == operation} & checks, found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, SERVICE)


def test_untouched_copy_passes(project: Path) -> None:
    code, report = run_contract(project, "getCategory", "listCategories")
    assert (code, failures(report), report["targets"][0]["errors"]) == (0, set(), [])
    assert report["cases"] > 0


def test_wrong_type_response_field(project: Path) -> None:
    inject(
        project, SERVICE, "GET", ITEM, after='if response.status_code == 200: body["name"] = 12345'
    )
    assert_caught(
        project, "getCategory", "GET /categories/{categoryId}", {"response_schema_conformance"}
    )


def test_missing_required_response_field(project: Path) -> None:
    inject(project, SERVICE, "GET", ITEM, after='if response.status_code == 200: del body["slug"]')
    assert_caught(
        project, "getCategory", "GET /categories/{categoryId}", {"response_schema_conformance"}
    )


def test_undeclared_status_code(project: Path) -> None:
    inject(
        project,
        SERVICE,
        "GET",
        ITEM,
        after="if response.status_code == 200: response.status_code = 203",
    )
    assert_caught(
        project, "getCategory", "GET /categories/{categoryId}", {"status_code_conformance"}
    )


def test_undeclared_content_type(project: Path) -> None:
    inject(
        project,
        SERVICE,
        "GET",
        ITEM,
        after="""
        if response.status_code == 200:
            response["Content-Type"] = "text/plain"
            body = None
        """,
    )
    assert_caught(
        project, "getCategory", "GET /categories/{categoryId}", {"content_type_conformance"}
    )


def test_server_error_on_some_input(project: Path) -> None:
    inject(
        project,
        SERVICE,
        "GET",
        COLLECTION,
        before='if request.GET.get("q"): raise RuntimeError("boom")',
    )
    assert_caught(project, "listCategories", "GET /categories", {"not_a_server_error"})


def test_accepts_input_the_spec_forbids(project: Path) -> None:
    # limit has maximum 100: the broken service clamps instead of rejecting.
    inject(
        project,
        SERVICE,
        "GET",
        COLLECTION,
        before="""
        query = request.GET.copy()
        if query.get("limit", "").lstrip("-").isdigit() and not 1 <= int(query["limit"]) <= 100:
            query["limit"] = "100"
        request.GET = query
        """,
    )
    assert_caught(project, "listCategories", "GET /categories", {"negative_data_rejection"})


def test_rejects_input_the_spec_allows(project: Path) -> None:
    inject(
        project,
        SERVICE,
        "GET",
        COLLECTION,
        # limit 51..100 is allowed; the broken service turns it into an invalid value
        # so that its own validation answers a (well-formed) 400 problem.
        before="""
        query = request.GET.copy()
        if query.get("limit", "").isdigit() and int(query["limit"]) > 50:
            query["limit"] = "0"
        request.GET = query
        """,
    )
    assert_caught(project, "listCategories", "GET /categories", {"positive_data_acceptance"})


def test_ignores_its_security_requirement(project: Path) -> None:
    # Every request is treated as if it carried the API key.
    inject(
        project,
        SERVICE,
        "POST",
        COLLECTION,
        before='request.META["HTTP_X_API_KEY"] = "specfirst-dev-api-key"',
    )
    assert_caught(project, "createCategory", "POST /categories", {"ignored_auth"})


def test_answers_an_error_outside_the_problem_profile(project: Path) -> None:
    # Validation problems lose their request id: still problem+json, no longer the profile.
    inject(
        project,
        SERVICE,
        "POST",
        COLLECTION,
        after='if response.status_code == 400: body.pop("request_id", None)',
    )
    assert_caught(project, "createCategory", "POST /categories", {"problem_profile"})
