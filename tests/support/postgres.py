"""Throwaway PostgreSQL databases, one per service, for end-to-end tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql


@contextmanager
def service_databases(
    server_url: str, services: Iterable[str], prefix: str
) -> Iterator[dict[str, str]]:
    """Create ``<prefix>_<random>_<service>`` for each service; yield service ->
    database URL; drop them all afterwards, even when the test failed.

    ``service_databases("postgres://postgres@127.0.0.1:5432", ["orders"], "sf_e2e")``
    yields ``{"orders": "postgres://postgres@127.0.0.1:5432/sf_e2e_1a2b3c4d_orders"}``.
    """
    run = f"{prefix}_{uuid.uuid4().hex[:8]}"
    names = {service: f"{run}_{service}" for service in services}
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        for name in names.values():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {service: f"{server_url}/{name}" for service, name in names.items()}
    finally:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
            for name in names.values():
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
