"""`specfirst up --database-url postgres://...`: one database per service, created, migrated."""

from __future__ import annotations

import secrets
from pathlib import Path

import psycopg
import pytest

from codegen.cli.up.plan import UpOptions, plan_system
from codegen.cli.up.run import migrate_all
from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.postgres]


def test_each_service_gets_its_own_migrated_database(postgres_url: str, tmp_path: Path) -> None:
    prefix = f"specfirst_up_{secrets.token_hex(3)}"
    plan = plan_system(REPO_ROOT, UpOptions(base_port=0, database_url=f"{postgres_url}/{prefix}"))
    names = [f"{prefix}_{process.name}" for process in plan.services]
    assert names == [f"{prefix}_catalog", f"{prefix}_customers", f"{prefix}_orders"]
    try:
        migrate_all(plan, tmp_path / "logs")
        migrate_all(plan, tmp_path / "logs")  # again: existing databases are reused
        for process, database in zip(plan.services, names, strict=True):
            with psycopg.connect(f"{postgres_url}/{database}", connect_timeout=10) as conn:
                applied = conn.execute(
                    "SELECT count(*) FROM django_migrations WHERE app = %s", (process.name,)
                ).fetchone()
                assert applied is not None and applied[0] >= 1, process.name
    finally:
        with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as conn:
            for database in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
