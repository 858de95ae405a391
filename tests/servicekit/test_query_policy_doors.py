"""One strictness verdict at every door: a service, the mock and the gateway's edge
validation refuse the same query keys of the same query strings, under either policy.

The service is the generated runtime with its 501 stubs (what ``specfirst serve`` and
every generated service run), the mock is the same runtime answering from the mock
engine (``specfirst serve --mock``), and the gateway is its edge validator compiled
from the same document.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from codegen.cli.mockserver.views import mock_views
from codegen.core.spec.bundle import bundle
from codegen.core.spec.loader import load_spec
from codegen.core.strictness import REPEATED_DETAIL, UNKNOWN_DETAIL, QueryPolicy
from codegen.designer.mock.state import engine_for_spec
from gateway.validation import build_validator
from tests.servicekit.harness import generate_package

SPEC = Path(__file__).parent / "specs" / "strictness.yaml"
REJECT = QueryPolicy()
IGNORE = QueryPolicy("ignore", "ignore")
Refusals = list[tuple[str, str]]


def twice(count: int = 2) -> str:
    return REPEATED_DETAIL.format(count=count)


# query string -> the keys refused under the default policy (reject, reject)
CASES: list[tuple[str, Refusals]] = [
    ("", []),
    ("limit=1&ids=1&ids=2&tags=a,b&filter[color]=red&filter[size]=s", []),
    ("limit=1&limit=2", [("limit", twice())]),
    ("tags=a,b&tags=c", [("tags", twice())]),
    ("filter[color]=red&filter[color]=blue", [("filter[color]", twice())]),
    ("emial=a%40b.example", [("emial", UNKNOWN_DETAIL)]),
    (
        "limit=1&x=1&limit=3&y=&limit=4",
        [("limit", twice(3)), ("x", UNKNOWN_DETAIL), ("y", UNKNOWN_DETAIL)],
    ),
]


@dataclass(frozen=True)
class Doors:
    service: types.ModuleType
    mock: types.ModuleType
    document: dict[str, Any]


def _urlconf(name: str, patterns: list[Any]) -> types.ModuleType:
    module = types.ModuleType(name)
    vars(module)["urlpatterns"] = patterns
    sys.modules[name] = module
    return module


@pytest.fixture(scope="module")
def doors(tmp_path_factory: pytest.TempPathFactory) -> Doors:
    package = generate_package(SPEC, tmp_path_factory.mktemp("strict"), "sf_strictness_api")
    mocked = mock_views(package.stubs, engine_for_spec(SPEC.as_posix()))
    loaded, _ = load_spec(SPEC)
    assert loaded is not None
    return Doors(
        service=_urlconf("sf_strictness_service_urls", package.urls.build_urlpatterns(None)),
        mock=_urlconf("sf_strictness_mock_urls", package.urls.build_urlpatterns(mocked)),
        document=bundle(loaded),
    )


def _served(urlconf: types.ModuleType, query: str, policy: QueryPolicy) -> tuple[bool, Refusals]:
    with override_settings(ROOT_URLCONF=urlconf, SPECFIRST_QUERY_POLICY=policy):
        response = Client().get(f"/things?{query}")
    if response.status_code != 400:
        return False, []
    errors = response.json().get("errors", [])
    return True, sorted((e["parameter"], e["detail"]) for e in errors if e.get("in") == "query")


def _edge(document: dict[str, Any], query: str, policy: QueryPolicy) -> tuple[bool, Refusals]:
    errors = build_validator(document, "/things", "get", policy).check(
        {}, query.encode(), {}, None, ""
    )
    return bool(errors), sorted((e["parameter"], e["detail"]) for e in errors if "parameter" in e)


@pytest.fixture(params=["service", "mock", "gateway"])
def door(request: pytest.FixtureRequest, doors: Doors) -> Iterator[Any]:
    if request.param == "gateway":
        yield lambda query, policy: _edge(doors.document, query, policy)
    else:
        urlconf = getattr(doors, request.param)
        yield lambda query, policy: _served(urlconf, query, policy)


@pytest.mark.parametrize(("query", "refused"), CASES)
def test_every_door_refuses_the_same_keys_by_default(
    door: Any, query: str, refused: Refusals
) -> None:
    assert door(query, REJECT) == (bool(refused), sorted(refused))


@pytest.mark.parametrize(("query", "refused"), CASES)
def test_with_both_checks_ignored_every_door_lets_them_pass(
    door: Any, query: str, refused: Refusals
) -> None:
    assert door(query, IGNORE) == (False, [])


def test_the_service_answers_what_it_refuses_as_a_400_problem(doors: Doors) -> None:
    with override_settings(ROOT_URLCONF=doors.service, SPECFIRST_QUERY_POLICY=REJECT):
        response = Client().get("/things?limit=1&limit=2")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"parameter": "limit", "in": "query", "detail": twice()}]
