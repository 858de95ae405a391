"""Parameter styles, URL compilation and RFC 9457 problem helpers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from rest_framework import exceptions as drf_exceptions
from rest_framework.fields import empty
from servicekit import problems
from servicekit.contract import fields as f
from servicekit.contract.errors import ErrorTree
from servicekit.contract.params import Param, parse_params, parse_path, parse_query
from servicekit.contract.urls import Op, Route, RouteResolver
from servicekit.contract.views import ContractViewSet

from tests.codegen.golden.support import CASES
from tests.servicekit.harness import generate_package

INTS = f.Array(items=f.Integer())


def param(
    field: Any, style: str, explode: bool, name: str = "ids", location: str = "query"
) -> Param:
    return Param(name, name, location, field, style=style, explode=explode)


@pytest.mark.parametrize(
    ("text", "style", "explode", "expected"),
    [
        ("3,4", "simple", False, [3, 4]),
        (".3.4", "label", True, [3, 4]),
        (".3,4", "label", False, [3, 4]),
        (";ids=3;ids=4", "matrix", True, [3, 4]),
        (";ids=3,4", "matrix", False, [3, 4]),
        ("3,x", "simple", False, [3, "x"]),
    ],
)
def test_path_styles(text: str, style: str, explode: bool, expected: Any) -> None:
    assert parse_path(text, param(INTS, style, explode)) == expected


@pytest.mark.parametrize(
    ("query", "style", "explode", "expected"),
    [
        ("ids=3&ids=4", "form", True, [3, 4]),
        ("ids=3,4", "form", False, [3, 4]),
        ("ids=3%204", "spaceDelimited", False, [3, 4]),
        ("ids=3|4", "pipeDelimited", False, [3, 4]),
        ("other=1", "form", True, empty),
    ],
)
def test_query_styles(query: str, style: str, explode: bool, expected: Any) -> None:
    assert parse_query(QueryDict(query), param(INTS, style, explode)) == expected


def test_object_parameters_in_query() -> None:
    free = f.Object()
    assert parse_query(QueryDict("p[a]=1&p[b]=x"), param(free, "deepObject", True, "p")) == {
        "a": 1,
        "b": "x",
    }
    assert parse_query(QueryDict("p=a,1,b,x"), param(free, "form", False, "p")) == {
        "a": 1,
        "b": "x",
    }


def test_parse_params_reports_required_and_defaults() -> None:
    request = RequestFactory().get("/x?limit=5", HTTP_X_TOKEN="t")
    params = (
        Param("limit", "limit", "query", f.Integer(required=False)),
        Param("page", "page", "query", f.Integer(required=False, default=1)),
        Param("q", "q", "query", f.String(required=True), required=True),
        Param(
            "X-Token", "x_token", "header", f.String(required=False), style="simple", explode=False
        ),
        Param(
            "id",
            "id_",
            "path",
            f.Integer(required=True),
            required=True,
            style="simple",
            explode=False,
        ),
    )
    errors = ErrorTree()
    values = parse_params(request, {"id": "7"}, params, errors)
    assert values == {"limit": 5, "page": 1, "x_token": "t", "id_": 7}
    assert problems.errors_from_drf(errors.detail(), location="") == [
        {"parameter": "q", "in": "query", "detail": "This parameter is required."}
    ]


def _regex(route: Route) -> str:
    resolver = RouteResolver([route], {"Pets": ContractViewSet})
    return str(resolver.url_patterns[0].pattern)


def test_url_patterns_come_from_the_route_compiler() -> None:
    route = Route(
        "/pets/{petId}/files/{name}.{ext}/",
        (Op("get", "Pets", "get_file"),),
        {
            "petId": ("pet_id", "integer", ()),
            "name": ("name", "string", ()),
            "ext": ("ext", "enum", ("j.pg", "png")),
        },
    )
    assert _regex(route) == r"^pets/(?P<petId>-?[0-9]+)/files/(?P<name>[^/]+)\.(?P<ext>[^/]+)/$"
    get = (Op("get", "Pets", "get_file"),)
    enum = Route("/k/{kind}", get, {"kind": ("kind", "enum", ("j.pg", "png"))})
    assert _regex(enum) == r"^k/(?P<kind>(?:j\.pg|png))$"
    odd = Route("/a/{x-y}", get, {"x-y": ("x_y", "string", ())})
    assert _regex(odd) == r"^a/(?P<x_y>[^/]+)$"
    assert _regex(Route("/", get, {})) == "^$"


def test_problem_body_and_response() -> None:
    assert problems.problem_body(404, "No order 7.", instance="/orders/7") == {
        "type": "/_specfirst/problems#not_found",
        "title": "Not Found",
        "status": 404,
        "detail": "No order 7.",
        "instance": "/orders/7",
        "code": "not_found",
    }
    response = problems.ProblemResponse(
        503, "Later.", headers={"Retry-After": "3"}, code="dependency_unavailable"
    )
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "3"
    assert json.loads(response.content) == {
        "type": "/_specfirst/problems#dependency_unavailable",
        "title": "Dependency unavailable",
        "status": 503,
        "detail": "Later.",
        "code": "dependency_unavailable",
    }
    with pytest.raises(KeyError, match="closed"):
        problems.problem_body(409, "Closed.", code="closed")


def test_errors_from_drf_flattens_nested_details() -> None:
    detail = {"lines": [{}, {"qty": ["Too small."]}], "non_field_errors": ["Bad."], "a/b": "x"}
    assert problems.errors_from_drf(detail) == [
        {"pointer": "/lines/1/qty", "detail": "Too small."},
        {"pointer": "", "detail": "Bad."},
        {"pointer": "/a~1b", "detail": "x"},
    ]


@pytest.mark.parametrize(
    ("exc", "status", "header"),
    [
        (problems.ProblemError(409, "Taken."), 409, None),
        (drf_exceptions.NotAuthenticated(), 401, None),
        (drf_exceptions.Throttled(wait=5), 429, ("Retry-After", "5")),
        (drf_exceptions.ValidationError({"a": ["Bad."]}), 400, None),
        (drf_exceptions.MethodNotAllowed("PUT"), 405, None),
    ],
)
def test_exception_handler(exc: Exception, status: int, header: tuple[str, str] | None) -> None:
    response = problems.exception_handler(exc, {})
    assert response is not None
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    if header:
        assert response[header[0]] == header[1]


def test_exception_handler_hides_unexpected_errors_unless_debug(settings: Any) -> None:
    settings.DEBUG = False
    response = problems.exception_handler(RuntimeError("boom"), {})
    assert response is not None and response.status_code == 500
    assert b"boom" not in response.content
    settings.DEBUG = True
    assert problems.exception_handler(RuntimeError("boom"), {}) is None


def test_label_and_matrix_path_parameters_match_as_strings(tmp_path: Any) -> None:
    package = generate_package(CASES / "parameters" / "spec.yaml", tmp_path, "sf_label_params")
    (route,) = [r for r in package.urls.ROUTES if "{ref}" in r.path]
    assert route.params["ref"] == ("ref", "string", ())
    assert route.params["itemId"] == ("item_id", "integer", ())
    assert route.params["colour"] == ("colour", "enum", ("blue", "red"))
