"""Token buckets: in memory (fake clock), in Redis (the real server), and at the edge."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.auth.policy import Identity
from gateway.ratelimit import Decision, MemoryBuckets, RedisBuckets, client_key, headers
from tests.gateway.conftest import Proc, start_gateway, write_tree

SPEC = """
openapi: 3.1.0
info: {title: echo, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
paths:
  /echo/{rest}:
    get:
      operationId: echoGet
      parameters: [{name: rest, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /secure/{rest}:
    get:
      operationId: secureGet
      security: [{key: []}]
      parameters: [{name: rest, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"""


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_memory_bucket_refills_at_its_rate() -> None:
    clock = Clock()
    buckets = MemoryBuckets(rate=2.0, burst=3, clock=clock)
    assert [buckets.take("a").allowed for _ in range(4)] == [True, True, True, False]
    refused = buckets.take("a")
    assert (refused.allowed, refused.remaining, refused.retry_after) == (False, 0, 1)
    assert buckets.take("b").allowed  # buckets are per client
    clock.now += 0.5  # one token back
    assert buckets.take("a").allowed
    assert not buckets.take("a").allowed
    clock.now += 10
    assert buckets.take("a") == Decision(True, 2, 0, 1)


def test_a_hot_key_stays_limited_while_200000_keys_rotate() -> None:
    """Issue 13, item 9: rotating keys used to empty every bucket at 100,000 keys."""
    clock = Clock()
    buckets = MemoryBuckets(rate=1.0, burst=5, clock=clock)
    while buckets.take("ip:hot").allowed:
        pass
    for index in range(200_000):
        buckets.take(f"ip:rotating-{index}")
        if index % 50_000 == 0:
            assert not buckets.take("ip:hot").allowed  # still limited, bucket kept
    assert not buckets.take("ip:hot").allowed
    assert len(buckets._buckets) <= buckets.max_keys  # bounded memory
    # the rotating keys beyond the bound share one bucket: they are limited together
    assert not buckets.take("ip:rotating-new").allowed


def test_only_refilled_buckets_are_evicted() -> None:
    clock = Clock()
    buckets = MemoryBuckets(rate=1.0, burst=2, clock=clock, max_keys=3)
    for key in ("a", "b", "c"):
        buckets.take(key)
    buckets.take("c")  # c: empty
    clock.now += 1.5  # a and b refilled (1 + 1.5 >= 2); c has 1.5 of 2
    assert buckets.take("d").allowed  # evicts a, the least recently used and full
    assert list(buckets._buckets) == ["b", "c", "d"]
    buckets.take("c")
    assert buckets.take("e").allowed  # evicts b
    assert list(buckets._buckets) == ["d", "c", "e"]
    assert buckets.take("f").allowed  # nothing refilled: f takes from the overflow bucket
    assert list(buckets._buckets) == ["d", "c", "e"]


def test_client_key_uses_verified_identities_only() -> None:
    assert client_key(Identity("alice", (), "bearer"), "1.2.3.4") == "sub:alice"
    assert client_key(Identity("ci", (), "key", api_key=True), "1.2.3.4") == "key:ci"
    assert client_key(Identity("", (), ""), "1.2.3.4") == "ip:1.2.3.4"
    assert client_key(None, None) == "ip:unknown"


def test_ratelimit_headers_follow_the_ietf_draft() -> None:
    refused = Decision(False, 0, 2, 5)
    assert headers(refused, rate=1.0, burst=5) == [
        (b"ratelimit-policy", b'"default";q=5;w=5'),
        (b"ratelimit", b'"default";r=0;t=5'),
        (b"retry-after", b"2"),
    ]


@pytest.mark.redis
def test_redis_bucket_is_atomic_and_shared(redis_url: str) -> None:
    async def scenario() -> list[bool]:
        key = f"test-{uuid.uuid4().hex}"
        first = RedisBuckets(redis_url, rate=0.001, burst=5)
        second = RedisBuckets(redis_url, rate=0.001, burst=5)
        try:
            decisions = await asyncio.gather(
                *(b.take(key) for b in [first, second] * 5)
            )  # fmt: skip
            return [d.allowed for d in decisions]
        finally:
            await first.close()
            await second.close()

    allowed = asyncio.run(scenario())
    assert allowed.count(True) == 5


def test_redis_unavailable_fails_open(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> Decision:
        buckets = RedisBuckets("redis://127.0.0.1:1/0", rate=1.0, burst=2)
        try:
            return await buckets.take("x")
        finally:
            await buckets.close()

    assert asyncio.run(scenario()).allowed
    assert "rate limiter: Redis unavailable" in caplog.text


def _gateway(
    root: Path, upstream: Proc, env: dict[str, str], workers: int, prefix: str = "rl:"
) -> Proc:
    write_tree(
        root,
        {
            "specs/echo.yaml": SPEC,
            "specfirst.toml": f"""
                [services.echo]
                upstream = "{upstream.url}"
                [gateway]
                rate_limit = {{rate = 0.001, burst = 3, redis_prefix = "{prefix}"}}
                [gateway.auth]
                api_keys = [{{subject = "bot", key = "k-1"}}]
            """,
        },
    )
    return start_gateway(root, env=env, workers=workers)


@pytest.fixture
def memory_gateway(tmp_path: Path, upstream: Proc) -> Iterator[Proc]:
    proc = _gateway(tmp_path, upstream, {"REDIS_URL": ""}, workers=1)
    yield proc
    proc.stop()


@pytest.mark.e2e
def test_gateway_answers_429_with_retry_after(memory_gateway: Proc) -> None:
    with httpx.Client(base_url=memory_gateway.url) as client:
        responses = [client.get("/echo/x") for _ in range(4)]
        assert [r.status_code for r in responses] == [200, 200, 200, 429]
        assert responses[0].headers["ratelimit"] == '"default";r=2;t=1000'
        refused = responses[3]
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) > 0
        assert refused.headers["ratelimit-policy"] == '"default";q=3;w=3000'
        assert refused.json()["code"] == "rate_limited"
        # an unverified key is no way around the client's bucket...
        assert client.get("/echo/x", headers={"X-API-Key": "made-up"}).status_code == 429
        # ...a verified one is another client, with its own bucket
        assert client.get("/secure/x", headers={"X-API-Key": "k-1"}).status_code == 200


@pytest.mark.e2e
@pytest.mark.redis
def test_workers_share_buckets_through_redis(
    tmp_path: Path, upstream: Proc, redis_url: str
) -> None:
    prefix = f"test-{uuid.uuid4().hex}:"  # fresh buckets for this run
    proc = _gateway(tmp_path, upstream, {"REDIS_URL": redis_url}, workers=2, prefix=prefix)
    try:
        codes = []
        for _ in range(8):  # a new connection each time: requests spread over both workers
            with httpx.Client(base_url=proc.url) as client:
                codes.append(client.get("/echo/x").status_code)
        assert codes == [200, 200, 200] + [429] * 5
    finally:
        proc.stop()
