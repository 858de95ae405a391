"""Fresh databases per service: SQLite files, and PostgreSQL databases created and dropped."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import psycopg
import pytest

from codegen.core.errors import UserError
from codegen.verify.contract.database import provision


def test_sqlite_is_a_file_in_the_work_directory(tmp_path: Path) -> None:
    database = provision("orders", tmp_path, None)
    assert database.url == f"sqlite:///{tmp_path / 'orders.sqlite3'}"
    database.drop()  # nothing to drop; the file goes with the directory


def test_a_migrated_sqlite_database_is_copied_whole_into_the_next(tmp_path: Path) -> None:
    first = provision("orders", tmp_path / "a", None)
    (tmp_path / "a").mkdir()
    assert first.sqlite_path is not None
    with contextlib.closing(sqlite3.connect(first.sqlite_path)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")  # as the services open it
        conn.execute("CREATE TABLE migrated (name TEXT)")
        conn.execute("INSERT INTO migrated VALUES ('0001_initial')")
        conn.commit()
        snapshot = first.snapshot()  # taken while the WAL still holds the rows
    assert snapshot is not None
    (tmp_path / "b").mkdir()
    second = provision("orders", tmp_path / "b", None)
    second.restore(snapshot)
    assert second.sqlite_path is not None
    with contextlib.closing(sqlite3.connect(second.sqlite_path)) as conn:
        assert conn.execute("SELECT name FROM migrated").fetchall() == [("0001_initial",)]


def test_only_postgresql_urls_are_accepted(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="must be a PostgreSQL URL"):
        provision("orders", tmp_path, "mysql://root@127.0.0.1/x")


@pytest.mark.postgres
def test_postgresql_database_is_created_then_dropped(tmp_path: Path, postgres_url: str) -> None:
    database = provision("orders", tmp_path, postgres_url)
    assert database.name is not None and database.name.startswith("specfirst_contract_orders_")
    with psycopg.connect(
        database.url.replace("postgres://", "postgresql://"), connect_timeout=5
    ) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == (database.name,)
    database.drop()
    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database.name,)
        ).fetchone()
    assert found is None
