"""End to end: the three services as real processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.scenario import run_shop_scenario
from tests.e2e.system import SERVICES, running_system
from tests.support.postgres import service_databases

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


def test_shop_on_sqlite(tmp_path: Path) -> None:
    databases = {name: f"sqlite:///{tmp_path / f'{name}.sqlite3'}" for name in SERVICES}
    with running_system(tmp_path, databases) as system:
        try:
            run_shop_scenario(system)
        except AssertionError:
            print(system.logs())
            raise


@pytest.fixture
def postgres_databases(postgres_url: str) -> Iterator[dict[str, str]]:
    """One fresh PostgreSQL database per service, dropped afterwards."""
    with service_databases(postgres_url, SERVICES, "sf_e2e") as databases:
        yield databases


@pytest.mark.postgres
def test_shop_on_postgres(tmp_path: Path, postgres_databases: dict[str, str]) -> None:
    with running_system(tmp_path, postgres_databases) as system:
        try:
            run_shop_scenario(system)
        except AssertionError:
            print(system.logs())
            raise
