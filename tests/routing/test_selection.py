"""Path keys with ``#...``/``?...`` suffixes, shadowed operations and --strict.

One inline spec in the shapes real providers use (a query-selected
``#tagKeys``, ``?action=archive``, header-selected ``#X-Amz-Target=...``,
same-shape templates), generated into a real package and composed by the
gateway: both choose the same operation and refuse the same requests with
the same 400 detail.
"""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from codegen.core.diagnostics import Severity
from codegen.generator.generation import Target, plan
from tests.support.routing import (
    Choice,
    Recorder,
    gateway_choice,
    gateway_entries,
    generate,
    pointers_of,
    service_choice,
)

OK = {"200": {"description": "ok"}}


def _op(op_id: str, *params: dict[str, Any]) -> dict[str, Any]:
    return {"operationId": op_id, "parameters": list(params), "responses": OK}


ARN = {"name": "arn", "in": "path", "required": True, "schema": {"type": "string"}}
TAG_KEYS = {"name": "tagKeys", "in": "query", "required": True, "schema": {"type": "string"}}
ACTION = {"name": "action", "in": "query", "required": True, "schema": {"type": "string"}}
TARGET = {"name": "X-Amz-Target", "in": "header", "required": True, "schema": {"type": "string"}}
PATHS: dict[str, Any] = {
    "/tags/{arn}": {"get": _op("listTags", ARN)},
    "/tags/{arn}#tagKeys": {
        "get": _op("getTags", ARN, TAG_KEYS),
        "delete": _op("untag", ARN, TAG_KEYS),
    },
    "/items?action=archive": {"post": _op("archive", ACTION)},
    "/items?action=restore": {"post": _op("restore", ACTION)},
    "/#X-Amz-Target=S3.ListBuckets": {"post": _op("listBuckets", TARGET)},
    "/#X-Amz-Target=S3.PutObject": {"post": _op("putObject", TARGET)},
    "/v1/{parent}": {"get": _op("getParent", {**ARN, "name": "parent"})},
    "/v1/{name}": {
        "get": _op("getName", {**ARN, "name": "name"}),
        "delete": _op("deleteName", {**ARN, "name": "name"}),
    },
}
# a query suffix templating parameters declared ``in: path`` (SF109): they
# are read from the query, and select among the operations of GET /air
PATHS["/air?lat={lat}&lon={lon}"] = {
    "get": _op("airAt", {**ARN, "name": "lat"}, {**ARN, "name": "lon"})
}
PATHS["/air?city={city}"] = {"get": _op("airIn", {**ARN, "name": "city"})}
DOCUMENT = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": PATHS}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("select") / "spec.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def served(spec: Path) -> tuple[types.ModuleType, dict[str, str], Any]:
    api, diagnostics, package = generate(spec, spec.parent, "sf_select_api")
    assert api is not None, [d.format() for d in diagnostics]
    urlconf = types.ModuleType("sf_select_root")
    urlconf.urlpatterns = package.urls.build_urlpatterns(None, catch_all=True)  # type: ignore[attr-defined]
    matcher, _ = gateway_entries("t", DOCUMENT)
    return urlconf, pointers_of(api), matcher


def pointer(key: str, method: str) -> str:
    return "/paths/" + key.replace("~", "~0").replace("/", "~1") + "/" + method


@pytest.mark.parametrize(
    ("request_", "headers", "expected"),
    [
        (("GET", "/tags/a", ""), {}, pointer("/tags/{arn}", "get")),
        (("GET", "/tags/a", "tagKeys=x"), {}, pointer("/tags/{arn}#tagKeys", "get")),
        (("DELETE", "/tags/a", "tagKeys=x"), {}, pointer("/tags/{arn}#tagKeys", "delete")),
        (("POST", "/items", "action=restore"), {}, pointer("/items?action=restore", "post")),
        (("POST", "/", ""), {"X-Amz-Target": "S3.PutObject"},
         pointer("/#X-Amz-Target=S3.PutObject", "post")),
        (("GET", "/v1/x", ""), {}, pointer("/v1/{parent}", "get")),
        (("DELETE", "/v1/x", ""), {}, pointer("/v1/{name}", "delete")),
        (("GET", "/air", "lat=1&lon=2"), {}, pointer("/air?lat={lat}&lon={lon}", "get")),
        (("GET", "/air", "city=x"), {}, pointer("/air?city={city}", "get")),
    ],
)  # fmt: skip
def test_service_and_gateway_select_the_same_operation(
    served: tuple[types.ModuleType, dict[str, str], Any],
    request_: tuple[str, str, str],
    headers: dict[str, str],
    expected: str,
) -> None:
    urlconf, pointers, matcher = served
    assert gateway_choice(matcher, request_, headers).operation == expected
    recorder = Recorder()
    with override_settings(ROOT_URLCONF=urlconf), recorder.active():
        service, _ = service_choice(Client(), recorder, pointers, request_, headers)
    assert service.operation == expected


@pytest.mark.parametrize(
    ("request_", "headers", "detail"),
    [
        (("POST", "/items", ""), {},
         "POST /items needs the query parameter 'action' (one of: archive, restore)"),
        (("POST", "/items", "action=burn"), {},
         "POST /items needs the query parameter 'action' (one of: archive, restore)"),
        (("POST", "/", ""), {"X-Amz-Target": "S3.Nope"},
         "POST / needs the header 'x-amz-target' (one of: S3.ListBuckets, S3.PutObject)"),
        (("GET", "/air", "lat=1"), {},
         "GET /air needs the query parameter 'lat' or the query parameter 'lon' or the query "
         "parameter 'city'"),
    ],
)  # fmt: skip
def test_unselected_requests_are_the_same_400_on_both_sides(
    served: tuple[types.ModuleType, dict[str, str], Any],
    request_: tuple[str, str, str],
    headers: dict[str, str],
    detail: str,
) -> None:
    urlconf, pointers, matcher = served
    assert gateway_choice(matcher, request_, headers) == Choice(400)
    recorder = Recorder()
    with override_settings(ROOT_URLCONF=urlconf), recorder.active():
        service, response = service_choice(Client(), recorder, pointers, request_, headers)
    assert service == Choice(400)
    problem = response.json()
    assert (problem["detail"], problem["code"]) == (detail, "operation_not_selected")


def test_a_shadowed_operation_is_a_warning_naming_the_winner(spec: Path) -> None:
    result = plan([Target(spec, spec.parent / "sf_select_warn", app=True)])
    assert not result.failed
    (found,) = [d for d in result.diagnostics if d.code == "SF250"]
    assert found.severity is Severity.WARNING
    assert found.message == (
        "GET /v1/{name} is unreachable: GET /v1/{parent}, declared first, takes every request "
        "it would; its handler is generated but never routed"
    )
    assert found.location.pointer == "/paths/~1v1~1{name}/get"
    assert [d.severity for d in result.diagnostics if d.code == "SF115"] == [Severity.WARNING]


def test_a_path_parameter_only_a_query_suffix_names_is_read_from_the_query(spec: Path) -> None:
    result = plan([Target(spec, spec.parent / "sf_select_suffix", app=True)])
    assert not result.failed
    found = [d for d in result.diagnostics if d.code == "SF109"]
    assert [(d.severity, d.location.pointer) for d in found] == [
        (Severity.WARNING, "/paths/~1air?lat={lat}&lon={lon}/get/parameters/0"),
        (Severity.WARNING, "/paths/~1air?lat={lat}&lon={lon}/get/parameters/1"),
        (Severity.WARNING, "/paths/~1air?city={city}/get/parameters/0"),
    ]
    (operation,) = [op for op in result.apis[0].operations if op.operation_id == "airIn"]
    assert [(p.name, str(p.location), p.required) for p in operation.parameters] == [
        ("city", "query", True)
    ]


def test_strict_makes_spec_level_musts_blocking(spec: Path) -> None:
    result = plan([Target(spec, spec.parent / "sf_select_strict", app=True)], strict=True)
    assert result.failed == [spec]
    blocking = {d.code for d in result.diagnostics if d.severity is Severity.ERROR}
    assert {"SF115", "SF108", "SF109"} <= blocking


def test_the_gateway_warns_about_the_same_shadowed_operation() -> None:
    _, diagnostics = gateway_entries("t", DOCUMENT)
    (found,) = [d for d in diagnostics if d.code == "SF512"]
    assert found.severity is Severity.WARNING
    assert found.message.startswith("GET /v1/{name} is unreachable: GET /v1/{parent}")
