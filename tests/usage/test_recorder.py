"""The recorder: names only, declared names only, off the request path, bounded."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from codegen.core.usage.fields import BY
from gateway.auth.policy import token_client
from gateway.config import UsageConfig
from gateway.state import RouteRuntime
from gateway.usage.recorder import UsageRecorder
from gateway.usage.stores import SqliteUsageStore

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/shop/items": {
            "post": {
                "parameters": [
                    {"name": "dry_run", "in": "query"},
                    {"$ref": "#/components/parameters/Tenant"},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"name": {}, "tags": {"type": "array", "items": {}}},
                            }
                        }
                    }
                },
            }
        }
    },
    "components": {"parameters": {"Tenant": {"name": "X-Tenant", "in": "header"}}},
}
ROUTE = SimpleNamespace(
    service="shop", method="POST", key="/shop/items", pointer="/paths/~1items/post"
)


class FakeRuntime:
    """Only what the recorder reads of a RouteRuntime: its route."""

    route = ROUTE


RT = cast(RouteRuntime, FakeRuntime())
KEY = "shop POST /items"


def scope(query: bytes, *headers: tuple[bytes, bytes]) -> dict[str, Any]:
    return {"query_string": query, "headers": list(headers)}


def recorded(
    tmp_path: Path, config: UsageConfig, requests: list[tuple[Any, ...]]
) -> dict[str, int]:
    store = SqliteUsageStore(tmp_path / "u.sqlite3", config.max_fields, config.retention_days)
    recorder = UsageRecorder(config, store, lambda: DOCUMENT)

    async def run() -> dict[tuple[str, str], dict[str, int]]:
        for request in requests:
            recorder.observe(RT, *request)
        await recorder.stop()
        today = dt.datetime.now(dt.UTC).date()
        return await store.read(today, today)

    stored = asyncio.run(run())
    return next(iter(stored.values())) if stored else {}


JSON = (b"content-type", b"application/json")


def test_only_declared_names_are_recorded_and_never_values(tmp_path: Path) -> None:
    body = b'{"name": "alice@example.com", "tags": ["x"], "alice@example.com": 1}'
    fields = recorded(
        tmp_path,
        UsageConfig(enabled=True),
        [
            (
                scope(
                    b"dry_run=1&email=bob%40example.com",
                    JSON,
                    (b"content-length", b"60"),
                    (b"x-tenant", b"acme"),
                    (b"x-secret-user", b"bob"),
                ),
                201,
                "web",
                body,
            ),
            (scope(b"", (b"x-tenant", b"acme")), 400, None, None),
        ],
    )
    assert fields == {
        "n": 2,
        "s:201": 1,
        "s:400": 1,
        "q:dry_run": 1,
        "q:*": 1,
        "h:x-tenant": 2,
        "B": 1,
        "m:application/json": 1,
        "b:/name": 1,
        "b:/tags": 1,
        "b:/tags/-": 1,
        "b:/*": 1,
        "c:web": 1,
        **{
            f"{item}{BY}web": 1
            for item in (
                "q:dry_run",
                "q:*",
                "h:x-tenant",
                "B",
                "m:application/json",
                "b:/name",
                "b:/tags",
                "b:/tags/-",
                "b:/*",
            )
        },
    }
    everything = " ".join(fields)
    for value in ("alice", "bob", "acme", "secret", "email"):
        assert value not in everything


def test_bodies_that_cannot_be_read_are_counted_as_unread(tmp_path: Path) -> None:
    config = UsageConfig(enabled=True, inspect_limit=10)
    fields = recorded(
        tmp_path,
        config,
        [
            (
                scope(b"", JSON, (b"content-length", b"40")),
                201,
                None,
                b'{"name": "a long name, too big"}',
            ),
            (scope(b"", JSON, (b"transfer-encoding", b"chunked")), 201, None, None),
            (
                scope(b"", (b"content-type", b"text/plain"), (b"content-length", b"2")),
                415,
                None,
                b"hi",
            ),
        ],
    )
    assert fields["B"] == 3 and fields["u"] == 3
    assert fields["m:application/json"] == 2 and fields["m:(undeclared)"] == 1
    assert not [name for name in fields if name.startswith("b:")]


def test_a_full_queue_loses_requests_loudly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = UsageConfig(enabled=True, max_pending=2)
    with caplog.at_level(logging.WARNING, "specfirst.gateway.usage"):
        fields = recorded(tmp_path, config, [(scope(b""), 200, None, None)] * 5)
    assert fields["n"] == 2
    assert "3 requests were not recorded" in caplog.text


def test_a_failing_store_loses_the_batch_not_the_gateway(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    store = SqliteUsageStore(blocked / "u.sqlite3", 10, 1)  # its folder is a file
    recorder = UsageRecorder(UsageConfig(enabled=True), store, lambda: DOCUMENT)
    recorder.observe(RT, scope(b""), 200, None, None)
    with caplog.at_level(logging.WARNING, "specfirst.gateway.usage"):
        asyncio.run(recorder.flush())
    assert "a batch of 1 requests was lost" in caplog.text


def test_periodic_flushes_run_in_the_background(tmp_path: Path) -> None:
    config = dataclasses.replace(UsageConfig(enabled=True), flush_interval=0.05)
    store = SqliteUsageStore(tmp_path / "u.sqlite3", 100, 1)
    recorder = UsageRecorder(config, store, lambda: DOCUMENT)

    async def run() -> dict[tuple[str, str], dict[str, int]]:
        await recorder.start()
        recorder.observe(RT, scope(b""), 200, None, None)
        await asyncio.sleep(0.3)
        today = dt.datetime.now(dt.UTC).date()
        found = await store.read(today, today)  # before stop(): the task wrote it
        await recorder.stop()
        return found

    assert next(iter(asyncio.run(run()).values()))["n"] == 1


@pytest.mark.parametrize(
    ("claims", "client"),
    [
        ({"sub": "alice", "client_id": "web", "azp": "other"}, "web"),
        ({"sub": "alice", "azp": "mobile"}, "mobile"),
        ({"sub": "alice"}, ""),  # a person's id is never a client id
        ({"sub": "alice", "client_id": 7}, ""),
    ],
)
def test_the_client_id_comes_from_client_claims_only(claims: dict[str, Any], client: str) -> None:
    assert token_client(claims) == client
