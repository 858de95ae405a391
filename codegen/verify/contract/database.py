"""A fresh database per service and run: a SQLite temp file, or a PostgreSQL database.

``provision("orders", tmp, None)`` -> ``sqlite:////tmp/.../orders.sqlite3``;
``provision("orders", tmp, "postgres://postgres@127.0.0.1:5432")`` creates
``specfirst_contract_orders_<random>`` and returns its URL; :meth:`Database.drop`
removes it again.
"""

from __future__ import annotations

import secrets
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
        return Database(url=f"sqlite:///{workdir / f'{service}.sqlite3'}")
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
