"""A fresh database per service and run: a SQLite temp file, or a PostgreSQL database.

``provision("orders", tmp, None)`` -> ``sqlite:////tmp/.../orders.sqlite3``;
``provision("orders", tmp, "postgres://postgres@127.0.0.1:5432")`` creates
``specfirst_contract_orders_<random>`` and returns its URL; :meth:`Database.drop`
removes it again. A migrated SQLite database can be copied (:meth:`Database.snapshot`,
:meth:`Database.restore`): a run migrates each service once, however many targets
start it.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from codegen.core.errors import UserError

POSTGRES_SCHEMES = frozenset({"postgres", "postgresql", "pgsql"})


@dataclass(frozen=True, slots=True)
class Database:
    url: str
    admin_url: str | None = None
    name: str | None = None
    sqlite_path: Path | None = None

    def snapshot(self) -> sqlite3.Connection | None:
        """The SQLite database copied into memory (its WAL included), to start the next
        fresh database of the same service from (see :meth:`restore`); None for PostgreSQL."""
        if self.sqlite_path is None:
            return None
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        with contextlib.closing(sqlite3.connect(self.sqlite_path)) as source:
            source.backup(copy)
        return copy

    def restore(self, snapshot: sqlite3.Connection) -> None:
        """Write ``snapshot`` as this (new, SQLite) database."""
        assert self.sqlite_path is not None, "only a SQLite database restores a snapshot"
        with contextlib.closing(sqlite3.connect(self.sqlite_path)) as target:
            snapshot.backup(target)

    def drop(self) -> None:
        """Drop a PostgreSQL database created by :func:`provision` (SQLite files go with tmp)."""
        if self.admin_url is None or self.name is None:
            return
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _with_path(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def provision(service: str, workdir: Path, database_url: str | None) -> Database:
    """A new, empty database for ``service``."""
    if not database_url:
        path = workdir / f"{service}.sqlite3"
        return Database(url=f"sqlite:///{path}", sqlite_path=path)
    scheme = urlsplit(database_url).scheme
    if scheme not in POSTGRES_SCHEMES:
        raise UserError(f"--database-url must be a PostgreSQL URL (postgres://...), got {scheme!r}")
    name = f"specfirst_contract_{service}_{secrets.token_hex(4)}".lower()
    admin_url = _with_path(database_url, "postgres")
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        raise UserError(f"cannot create a PostgreSQL database at {database_url}: {exc}") from None
    return Database(url=_with_path(database_url, name), admin_url=admin_url, name=name)
