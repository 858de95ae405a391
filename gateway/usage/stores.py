"""Where usage counters live: Redis (shared by every gateway, the deployed
case) or one SQLite file (a single machine). Both are bounded the same way:
at most ``max_fields`` counters per operation and day (new fields past the
cap are dropped and counted in the ``!`` field), and days older than
``retention_days`` expire (Redis TTL; SQLite rows deleted on flush).

A batch maps ``(day, operation)`` (``"2026-12-03"``, ``"catalog GET /products"``)
to field increments (:mod:`codegen.core.usage.fields`).

Example::

    store = SqliteUsageStore(Path(".specfirst/usage.sqlite3"), max_fields=2000, retention_days=35)
    await store.add({("2026-12-03", "catalog GET /products"): {"n": 3, "s:200": 3}})
    await store.read(dt.date(2026, 11, 4), dt.date(2026, 12, 3))  # → the same, summed
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import redis.asyncio as redis_asyncio

from codegen.core.usage.fields import DROPPED

Batch = Mapping[tuple[str, str], Mapping[str, int]]
Stored = dict[tuple[str, str], dict[str, int]]

# KEYS[1] the hash of one operation and day; ARGV: cap, ttl seconds, then field, increment, ...
LUA_ADD = """
local cap = tonumber(ARGV[1])
local size = redis.call('HLEN', KEYS[1])
local dropped = 0
for i = 3, #ARGV, 2 do
  local name = ARGV[i]
  local by = tonumber(ARGV[i + 1])
  if size < cap or redis.call('HEXISTS', KEYS[1], name) == 1 then
    if redis.call('HINCRBY', KEYS[1], name, by) == by then size = size + 1 end
  else
    dropped = dropped + by
  end
end
if dropped > 0 then redis.call('HINCRBY', KEYS[1], '!', dropped) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return dropped
"""


class UsageStore(Protocol):
    async def add(self, batch: Batch) -> None: ...

    async def read(self, since: dt.date, until: dt.date) -> Stored: ...

    async def close(self) -> None: ...


class RedisUsageStore:
    """One hash per operation and day, ``<prefix><day>:<operation>``, with a TTL."""

    def __init__(self, url: str, prefix: str, max_fields: int, retention_days: int) -> None:
        self.prefix = prefix
        self.max_fields = max_fields
        self.ttl = retention_days * 86_400
        self.client: Any = redis_asyncio.from_url(
            url, socket_timeout=5.0, socket_connect_timeout=2.0
        )
        self._script = self.client.register_script(LUA_ADD)

    async def add(self, batch: Batch) -> None:
        async with self.client.pipeline(transaction=False) as pipe:
            for (day, operation), fields in batch.items():
                args: list[Any] = [self.max_fields, self.ttl]
                for name, count in fields.items():
                    args += [name, count]
                await self._script(keys=[f"{self.prefix}{day}:{operation}"], args=args, client=pipe)
            await pipe.execute()

    async def read(self, since: dt.date, until: dt.date) -> Stored:
        found: Stored = {}
        async for raw in self.client.scan_iter(match=f"{self.prefix}*", count=1000):
            key = raw.decode("utf-8", "replace")
            day, sep, operation = key[len(self.prefix) :].partition(":")
            if not sep or not _within(day, since, until):
                continue
            fields = await self.client.hgetall(raw)
            found[(day, operation)] = {
                name.decode("utf-8", "replace"): int(value) for name, value in fields.items()
            }
        return found

    async def close(self) -> None:
        await self.client.aclose()


class SqliteUsageStore:
    """Rows ``(day, operation, field, count)`` in one file; every call runs in a
    thread, so the event loop never waits for the disk."""

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS usage (day TEXT NOT NULL, operation TEXT NOT NULL, "
        "field TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (day, operation, field)) "
        "WITHOUT ROWID"
    )

    def __init__(self, path: Path, max_fields: int, retention_days: int) -> None:
        self.path = path
        self.max_fields = max_fields
        self.retention_days = retention_days

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(self.SCHEMA)
        return connection

    async def add(self, batch: Batch) -> None:
        await asyncio.to_thread(self._add, batch)

    def _add(self, batch: Batch) -> None:
        cutoff = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=self.retention_days)
        with contextlib.closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            for (day, operation), fields in batch.items():
                self._add_operation(db, day, operation, fields)
            db.execute("DELETE FROM usage WHERE day < ?", (cutoff.isoformat(),))
            db.execute("COMMIT")

    def _add_operation(
        self, db: sqlite3.Connection, day: str, operation: str, fields: Mapping[str, int]
    ) -> None:
        (size,) = db.execute(
            "SELECT COUNT(*) FROM usage WHERE day = ? AND operation = ?", (day, operation)
        ).fetchone()
        dropped = 0
        update = "UPDATE usage SET count = count + ? WHERE day = ? AND operation = ? AND field = ?"
        insert = "INSERT INTO usage (day, operation, field, count) VALUES (?, ?, ?, ?)"
        for name, count in fields.items():
            if db.execute(update, (count, day, operation, name)).rowcount:
                continue
            if size < self.max_fields:
                db.execute(insert, (day, operation, name, count))
                size += 1
            else:
                dropped += count
        if dropped and not db.execute(update, (dropped, day, operation, DROPPED)).rowcount:
            db.execute(insert, (day, operation, DROPPED, dropped))

    async def read(self, since: dt.date, until: dt.date) -> Stored:
        return await asyncio.to_thread(self._read, since, until)

    def _read(self, since: dt.date, until: dt.date) -> Stored:
        found: Stored = {}
        if not self.path.exists():
            return found
        with contextlib.closing(self._connect()) as db:
            rows = db.execute(
                "SELECT day, operation, field, count FROM usage WHERE day >= ? AND day <= ?",
                (since.isoformat(), until.isoformat()),
            )
            for day, operation, name, count in rows:
                found.setdefault((day, operation), {})[name] = int(count)
        return found

    async def close(self) -> None:
        return None


def _within(day: str, since: dt.date, until: dt.date) -> bool:
    try:
        return since <= dt.date.fromisoformat(day) <= until
    except ValueError:
        return False
