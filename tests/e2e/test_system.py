"""End to end: the three services as real processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.e2e.scenario import run_shop_scenario
from tests.e2e.system import SERVICES, running_system

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
    prefix = f"sf_e2e_{uuid.uuid4().hex[:8]}"
    names = {service: f"{prefix}_{service}" for service in SERVICES}
    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as admin:
        for name in names.values():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {service: f"{postgres_url}/{name}" for service, name in names.items()}
    finally:
        with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as admin:
            for name in names.values():
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@pytest.mark.postgres
def test_shop_on_postgres(tmp_path: Path, postgres_databases: dict[str, str]) -> None:
    with running_system(tmp_path, postgres_databases) as system:
        try:
            run_shop_scenario(system)
        except AssertionError:
            print(system.logs())
            raise
