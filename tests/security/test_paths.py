"""Path tricks: no spelling of a path reaches a route its canonical form does not."""

from __future__ import annotations

import pytest

from tests.security.shop import PROBLEM
from tests.security.system import EdgeSystem
from tests.security.wire import exchange, get, parse_answer

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

# Each would reach /customers (admin only) or a file if dot segments were resolved.
TRAVERSALS = [
    "/products/../customers",
    "/products/./../customers",
    "/products/%2e%2e/customers",
    "/products/%2E%2E/customers",
    "/products/.%2e/customers",
    "/./customers",
    "/products//../customers",
    "/products/../../../../etc/passwd",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_dot_segments_are_never_routed(edge: EdgeSystem, target: str) -> None:
    answer = parse_answer(exchange(edge.gateway.port, get(target)))
    assert (answer.status, answer.headers["content-type"]) == (404, PROBLEM)
    assert answer.json()["code"] == "route_not_found"


@pytest.mark.parametrize("target", TRAVERSALS)
def test_services_do_not_resolve_dot_segments_either(edge: EdgeSystem, target: str) -> None:
    port = int(edge.service_url("customers").rsplit(":", 1)[1])
    answer = parse_answer(exchange(port, get(target)))
    assert (answer.status, answer.headers["content-type"]) == (404, PROBLEM)
    assert answer.json()["status"] == 404
