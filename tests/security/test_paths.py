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
    assert (answer.status, answer.headers["content-type"]) == (400, PROBLEM)
    assert answer.json()["code"] == "non_canonical_path"


@pytest.mark.parametrize("target", TRAVERSALS)
def test_services_do_not_resolve_dot_segments_either(edge: EdgeSystem, target: str) -> None:
    port = int(edge.service_url("customers").rsplit(":", 1)[1])
    answer = parse_answer(exchange(port, get(target)))
    assert (answer.status, answer.headers["content-type"]) == (400, PROBLEM)
    assert answer.json()["code"] == "non_canonical_path"


# Spellings a router could read two ways (issue 13, item 6): refused alike, or
# routed alike (the gateway forwards the raw path; the service routes on the
# raw path's segments too). tests/security/test_encoded_paths.py routes values
# with '/' to an operation on both sides.
AMBIGUOUS = {
    "/products/x%2Freviews": None,  # one segment: not a uuid, so not a productId
    "/products/x%2freviews": None,
    "/products/%2E%2E": 400,
    "/products/a%252Fb": None,
    "/products/a;b=c": None,
    "/products/%C3": 400,
    "/products/%zz": 400,
    "/products/a%00": 400,
}


@pytest.mark.parametrize(("target", "refused"), AMBIGUOUS.items())
def test_gateway_and_service_read_ambiguous_paths_alike(
    edge: EdgeSystem, target: str, refused: int | None
) -> None:
    port = int(edge.service_url("catalog").rsplit(":", 1)[1])
    through = parse_answer(exchange(edge.gateway.port, get(target)))
    direct = parse_answer(exchange(port, get(target)))
    if refused is not None:
        for answer in (through, direct):
            assert (answer.status, answer.json()["code"]) == (refused, "non_canonical_path")
        assert through.json()["detail"] == direct.json()["detail"]
        return
    # read alike: a productId is a uuid, so neither routes these values
    assert through.status == direct.status == 404
