"""nginx picks the same template as the gateway's matcher, for any parameter values.

nginx checks exact locations first, then regex locations in file order; the
exporter orders them with :func:`gateway.export.nginx.location_order`. This
property test builds paths from every template of the real specs and of the
multi-service test project with Hypothesis-chosen values, then compares the
template nginx would choose (emulated with Python's ``re``, which agrees with
PCRE on these patterns) with :class:`codegen.core.routing.matcher.Matcher`'s choice.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.core.routing.kinds import ParamKind
from codegen.core.routing.matcher import Matcher, Status
from codegen.core.routing.regex import path_regex
from codegen.core.routing.templates import build_path
from gateway.compose.load import compose_specs
from gateway.config import load_config
from gateway.export.nginx import location_order
from gateway.table import Route, RoutingTable
from tests.conftest import REPO_ROOT
from tests.export.project import write_project

# Values nginx would neither normalise nor refuse (no '/', '%', '.' or '..').
VALUE = st.text("abcXYZ019-_~.", min_size=1, max_size=8).filter(lambda v: v not in (".", ".."))


def _table(root: Path) -> RoutingTable:
    config = load_config(root)
    composition = compose_specs(config)
    assert composition.document is not None
    return RoutingTable.build(composition, config)


def _nginx_choice(groups: list[list[Route]], path: str) -> str | None:
    for routes in groups:  # exact locations: checked before any regex
        if not routes[0].compiled.params and routes[0].template == path:
            return routes[0].template
    for routes in groups:
        if routes[0].compiled.params and re.fullmatch(path_regex(routes[0].compiled), path):
            return routes[0].template
    return None


def _value(kind: ParamKind | None, data: st.DataObject) -> str:
    if kind is not None and kind.kind == "integer":
        return str(data.draw(st.integers(-999, 99999)))
    if kind is not None and kind.kind == "uuid":
        return str(data.draw(st.uuids()))
    if kind is not None and kind.kind == "enum":
        return data.draw(st.sampled_from(sorted(kind.values)))
    return data.draw(VALUE)


@pytest.fixture(scope="module", params=["specs", "project"])
def table(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RoutingTable:
    if request.param == "specs":
        return _table(REPO_ROOT)
    root = tmp_path_factory.mktemp("project")
    write_project(root, {n: "http://127.0.0.1:1" for n in ("a", "b", "c", "down")}, {}, 1024)
    return _table(root)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_nginx_location_order_matches_the_gateway(table: RoutingTable, data: st.DataObject) -> None:
    matcher: Matcher[str] = Matcher()
    for route in table.routes:
        matcher.add(route.compiled, route.method, route.template)
    route = data.draw(st.sampled_from(table.routes))
    values = {
        name: _value(segment.kind, data)
        for segment in route.compiled.segments
        for name in segment.names
    }
    raw = build_path(route.compiled, values)
    gateway = matcher.match(route.method, raw)
    assert gateway.status is Status.FULL
    assert _nginx_choice(location_order(table), unquote(raw)) == gateway.template
