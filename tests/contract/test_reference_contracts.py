"""The reference services against their specs through schemathesis' pytest integration.

The same configuration as ``specfirst test`` (every check, positive and
negative data, the seeded values); one parametrized test per service plus its
stateful run driven by the spec's links. Marked ``contract`` (and ``e2e``: each
module fixture starts real processes), so ``pytest -m "not contract"`` skips it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis

from tests.contract.reference import MAX_EXAMPLES, reference_schema

STATEFUL_STEPS = 6

pytestmark = [pytest.mark.contract, pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis' lazy ``from_fixture`` tests read ``node._nodeid``, which pytest 9 no
    longer sets; give it the node id it expects (only used for sub-test names)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(scope="module")
def catalog_schema() -> Iterator[schemathesis.BaseSchema]:
    with reference_schema("catalog") as schema:
        yield schema


@pytest.fixture(scope="module")
def customers_schema() -> Iterator[schemathesis.BaseSchema]:
    with reference_schema("customers") as schema:
        yield schema


@pytest.fixture(scope="module")
def orders_schema() -> Iterator[schemathesis.BaseSchema]:
    with reference_schema("orders") as schema:
        yield schema


catalog = schemathesis.pytest.from_fixture("catalog_schema")
customers = schemathesis.pytest.from_fixture("customers_schema")
orders = schemathesis.pytest.from_fixture("orders_schema")


@catalog.parametrize()
def test_catalog(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


@customers.parametrize()
def test_customers(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


@orders.parametrize()
def test_orders(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


@pytest.mark.parametrize("fixture", ["catalog_schema", "customers_schema", "orders_schema"])
def test_stateful_links(fixture: str, request: pytest.FixtureRequest) -> None:
    schema: schemathesis.BaseSchema = request.getfixturevalue(fixture)
    # Steps talk to a live service whose state changes between runs, so Hypothesis must not
    # replay or shrink them (it would call that "flaky"): generate only, bounded.
    schema.as_state_machine().run(
        settings=hypothesis.settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            phases=[hypothesis.Phase.generate],
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
