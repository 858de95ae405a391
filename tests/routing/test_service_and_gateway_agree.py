"""Property: a generated service and the gateway choose the same operation.

Hypothesis draws a set of path templates (literals, string/integer/enum
parameters in any segment including the first, partial segments
``{p}:verb``, ``{p}.json``, ``v{p}``, ``{p}-{q}``, trailing-slash variants,
keys with a ``#sel`` suffix selecting by query parameter), generates a real
package from them (``specfirst generate``), and sends random requests to it
through Django's test client and to the gateway's matcher: both must pick
the same operation with the same decoded path values, or refuse with the
same 404, 405 or 400. Values include
``/`` (sent as ``%2F``: one segment, a value with ``/`` on both sides), and
raw segments include encoded dots, bad escapes, NUL and non-UTF-8 bytes.
"""

from __future__ import annotations

import itertools
import json
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.core.routing.templates import PARAM_RE, SEGMENT_SAFE, build_path, compile_path
from tests.support.routing import (
    Choice,
    Recorder,
    gateway_choice,
    gateway_entries,
    generate,
    pointers_of,
    service_choice,
)

LITERALS = ["a", "b", "v1", "XML"]
ENUMS = [["XML", "JSON"], ["a", "x"], ["7", "8"]]
VALUES = ["a", "b", "x", "XML", "JSON", "7", "-3", "v2", "z:verb", "q.json", "m-n", "a b",
          "a/b", "..", "%2F", "caf\u00e9"]  # fmt: skip
# raw segments, sent as they are: encoded '/' and dots, bad escapes, NUL, non-UTF-8
RAW = ["x%2Fy", "%2F", "%2f..%2F", "%2E%2E", ".%2e", "%2e", ".", "%zz", "a%00", "%C3", "%41"]
PARTIALS = ["{%s}:verb", "{%s}.json", "v{%s}", "{%s}-{%sb}"]
METHODS = ["get", "post", "delete"]
_counter = itertools.count()


@st.composite
def segment(draw: st.DrawFn, index: int) -> tuple[str, dict[str, dict[str, Any]]]:
    """One template segment and the schemas of its parameters."""
    kind = draw(st.sampled_from(["literal", "literal", "string", "integer", "enum", "partial"]))
    name = f"p{index}"
    if kind == "literal":
        return draw(st.sampled_from(LITERALS)), {}
    if kind == "string":
        return f"{{{name}}}", {name: {"type": "string"}}
    if kind == "integer":
        return f"{{{name}}}", {name: {"type": "integer"}}
    if kind == "enum":
        return f"{{{name}}}", {name: {"type": "string", "enum": draw(st.sampled_from(ENUMS))}}
    form = draw(st.sampled_from(PARTIALS))
    text = form % ((name,) * form.count("%s"))
    return text, {n: {"type": "string"} for n in PARAM_RE.findall(text)}


@st.composite
def operations(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """A ``paths`` object of 1-6 templates."""
    paths: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(1, 6))):
        parts, schemas = [], {}
        for index in range(draw(st.integers(1, 3))):
            text, found = draw(segment(index))
            parts.append(text)
            schemas.update(found)
        template = "/" + "/".join(parts) + ("/" if draw(st.booleans()) else "")
        query = draw(st.sampled_from([None, None, "sel1", "sel2"]))
        key = template + (f"#{query}" if query else "")
        params = [
            {"name": n, "in": "path", "required": True, "schema": s} for n, s in schemas.items()
        ]
        if query:
            params.append({"name": query, "in": "query", "required": True, "schema": {}})
        for method in draw(st.lists(st.sampled_from(METHODS), min_size=1, max_size=2, unique=True)):
            paths.setdefault(key, {})[method] = {
                "operationId": f"op{next(_counter)}",
                "parameters": params,
                "responses": {"200": {"description": "ok"}},
            }
    return paths


@st.composite
def requests(draw: st.DrawFn, paths: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(method, raw path, query) requests: built from the templates, and random."""
    out = []
    for key in paths:
        template = key.split("#")[0]
        compiled = compile_path(template)
        values = {name: draw(st.sampled_from(VALUES)) for name in compiled.params}
        path = build_path(compiled, values)
        query = draw(st.sampled_from(["", "sel1=1", "sel2=", "sel1=1&sel2=2"]))
        out.append((draw(st.sampled_from([*METHODS, "put"])).upper(), path, query))
    encoded = [quote(text, safe=SEGMENT_SAFE) for text in [*LITERALS, *VALUES, ""]]
    for _ in range(4):
        texts = draw(st.lists(st.sampled_from([*encoded, *RAW]), min_size=1, max_size=3))
        out.append((draw(st.sampled_from(METHODS)).upper(), "/" + "/".join(texts), ""))
    return out


def _service(tmp_path: Path, paths: dict[str, dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}
    spec = tmp_path / f"spec{next(_counter)}.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    name = f"sf_agree_{next(_counter)}"
    api, diagnostics, package = generate(spec, tmp_path, name)
    assert api is not None, [d.format() for d in diagnostics]
    urlconf = types.ModuleType(f"{name}_root")
    urlconf.urlpatterns = package.urls.build_urlpatterns(None, catch_all=True)  # type: ignore[attr-defined]
    return urlconf, pointers_of(api)


def _agree(gateway: Choice, service: Choice) -> bool:
    if gateway.operation is not None:
        return (service.operation, service.values) == (gateway.operation, gateway.values)
    return service.operation is None and service.status == gateway.status


def _check_agreement(
    workdir: Path,
    paths: dict[str, dict[str, Any]],
    sent: Callable[[], list[tuple[str, str, str]]],
) -> None:
    """Each request ``sent()`` gives reaches the same operation, or the same
    refusal, in the service generated from ``paths`` and in the gateway."""
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}
    matcher, _ = gateway_entries("t", document)
    urlconf, pointers = _service(workdir, paths)
    recorder = Recorder()
    with override_settings(ROOT_URLCONF=urlconf), recorder.active():
        client = Client()
        for request in sent():
            gateway = gateway_choice(matcher, request)
            service, response = service_choice(client, recorder, pointers, request)
            report = (json.dumps(paths), request, gateway, service, response.content)
            assert _agree(gateway, service), report


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("agree")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paths=operations(), data=st.data())
def test_generated_service_and_gateway_choose_the_same_operation(
    workdir: Path, paths: dict[str, dict[str, Any]], data: st.DataObject
) -> None:
    _check_agreement(workdir, paths, lambda: data.draw(requests(paths)))


# Cases the property test once found, kept so they run on every seed.
FOUND: list[tuple[dict[str, dict[str, Any]], list[tuple[str, str, str]]]] = [
    # a selected operation declared before the plain one of the same path and
    # method: without the selector's query parameter the plain one is chosen
    (
        {
            "/a#sel1": {
                "get": {
                    "operationId": "found0",
                    "parameters": [{"name": "sel1", "in": "query", "required": True, "schema": {}}],
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/a": {"get": {"operationId": "found1", "responses": {"200": {"description": "ok"}}}},
        },
        [("GET", "/a", ""), ("GET", "/a", "sel1=1"), ("POST", "/a", "")],
    ),
    # one template whose operations type a parameter differently: each
    # operation matches on its own parameter kinds (GET /a/a: 405, not 404)
    (
        {
            "/{p0}/{p1}": {
                method: {
                    "operationId": f"found_{method}",
                    "parameters": [
                        {"name": "p0", "in": "path", "required": True, "schema": {}},
                        {"name": "p1", "in": "path", "required": True, "schema": {"type": kind}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
                for method, kind in [("get", "integer"), ("post", "string")]
            },
        },
        [("GET", "/a/a", ""), ("GET", "/a/7", ""), ("POST", "/a/a", ""), ("POST", "/a/7", "")],
    ),
]


@pytest.mark.parametrize(("paths", "sent"), FOUND)
def test_found_cases_agree(
    workdir: Path, paths: dict[str, dict[str, Any]], sent: list[tuple[str, str, str]]
) -> None:
    _check_agreement(workdir, paths, lambda: sent)
