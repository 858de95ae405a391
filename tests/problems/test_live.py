"""The problem docs against a running system: what they show is what it answers, and
every ``type`` it answers with resolves, through the gateway and at each service."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from codegen.core.problems import CATALOG
from tests.e2e.system import SERVICES
from tests.problems.exchanges import REQUESTS, exchange, recorded
from tests.problems.resolve import anchors, assert_type_resolves
from tests.problems.system import ProblemSystem, problem_system

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProblemSystem]:
    with problem_system(tmp_path_factory.mktemp("problems")) as running:
        yield running


def test_docs_show_what_the_system_answers(system: ProblemSystem) -> None:
    live = [exchange(system, request) for request in REQUESTS]
    assert live == recorded(), (
        "docs/problem-examples.json differs from the running system's answers: "
        "run 'python -m tests.problems.regen'"
    )


def test_every_type_answered_resolves_through_the_gateway(system: ProblemSystem) -> None:
    """Each ``type`` of a real answer (the gateway's own, and a service's through the
    gateway) is GET through the gateway: 200 and the anchor exists."""
    answered = {exchange(system, request)["response"]["body"]["type"] for request in REQUESTS}
    assert len(answered) >= 4, answered
    for problem_type in sorted(answered):
        assert_type_resolves(system.gateway.url, problem_type)


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_serves_the_catalogue(system: ProblemSystem, name: str) -> None:
    """Straight at a service, its own problems' ``type`` resolves there too."""
    base = system.system.url(name)
    answer = httpx.get(f"{base}/nope", timeout=30).json()
    assert_type_resolves(base, answer["type"])
    page = httpx.get(f"{base}/_specfirst/problems", timeout=30).text
    assert set(CATALOG) <= anchors(page)


def test_the_catalogue_answers_json_when_asked(system: ProblemSystem) -> None:
    for base in (system.gateway.url, system.system.url("catalog")):
        response = httpx.get(
            f"{base}/_specfirst/problems", headers={"Accept": "application/json"}, timeout=30
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert [item["code"] for item in response.json()["problems"]] == list(CATALOG)
