"""Usage stores: SQLite and Redis hold the same counters, bounded the same way."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from gateway.usage.stores import RedisUsageStore, SqliteUsageStore, UsageStore

TODAY = dt.datetime.now(dt.UTC).date()
DAY = TODAY.isoformat()
OP = "catalog GET /products"


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UsageStore]:
    if request.param == "sqlite":
        yield SqliteUsageStore(tmp_path / "usage.sqlite3", max_fields=4, retention_days=35)
        return
    url = request.getfixturevalue("redis_url")
    prefix = f"specfirst:test:usage:{uuid.uuid4().hex[:8]}:"
    yield RedisUsageStore(url, prefix, max_fields=4, retention_days=35)
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_counters_add_up_and_are_capped(store: UsageStore) -> None:
    async def run() -> dict[tuple[str, str], dict[str, int]]:
        try:
            await store.add({(DAY, OP): {"n": 2, "s:200": 2, "q:sort": 1}})
            await store.add({(DAY, OP): {"n": 1, "s:200": 1, "q:a": 1, "q:b": 5}})
            return await store.read(TODAY - dt.timedelta(days=1), TODAY)
        finally:
            await store.close()

    stored = asyncio.run(run())
    # four fields at most: q:b did not fit, its 5 observations count as dropped
    assert stored == {(DAY, OP): {"n": 3, "s:200": 3, "q:sort": 1, "q:a": 1, "!": 5}}


def test_reads_only_the_days_asked_for(store: UsageStore) -> None:
    old = (TODAY - dt.timedelta(days=10)).isoformat()

    async def run() -> tuple[object, object]:
        try:
            await store.add({(old, OP): {"n": 1}, (DAY, OP): {"n": 2}})
            return (
                await store.read(TODAY - dt.timedelta(days=2), TODAY),
                await store.read(TODAY - dt.timedelta(days=30), TODAY),
            )
        finally:
            await store.close()

    recent, month = asyncio.run(run())
    assert recent == {(DAY, OP): {"n": 2}}
    assert month == {(old, OP): {"n": 1}, (DAY, OP): {"n": 2}}


def test_sqlite_forgets_days_past_retention(tmp_path: Path) -> None:
    store = SqliteUsageStore(tmp_path / "u.sqlite3", max_fields=10, retention_days=7)
    stale = (TODAY - dt.timedelta(days=8)).isoformat()
    asyncio.run(store.add({(stale, OP): {"n": 1}}))
    asyncio.run(store.add({(DAY, OP): {"n": 1}}))
    assert asyncio.run(store.read(TODAY - dt.timedelta(days=30), TODAY)) == {(DAY, OP): {"n": 1}}


@pytest.mark.redis
def test_redis_days_expire(redis_url: str) -> None:
    prefix = f"specfirst:test:usage:{uuid.uuid4().hex[:8]}:"
    store = RedisUsageStore(redis_url, prefix, max_fields=10, retention_days=2)

    async def run() -> None:
        try:
            await store.add({(DAY, OP): {"n": 1}})
        finally:
            await store.close()

    asyncio.run(run())
    client = redis.Redis.from_url(redis_url)
    try:
        ttl = client.ttl(f"{prefix}{DAY}:{OP}")
        assert 2 * 86_400 - 60 < ttl <= 2 * 86_400
    finally:
        client.delete(f"{prefix}{DAY}:{OP}")
        client.close()
