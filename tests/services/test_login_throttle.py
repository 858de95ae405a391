"""The login throttle's counters: memory (bounded), Redis (shared), and the fallback."""

from __future__ import annotations

import uuid

import pytest
import redis
from customers.oauth.throttle import (
    FallbackCounters,
    LoginThrottle,
    MemoryCounters,
    RedisCounters,
    Throttled,
    client_ip,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_windows_end_and_the_oldest_is_evicted_first() -> None:
    clock = Clock()
    counters = MemoryCounters(max_keys=2, clock=clock)
    counters.incr("a", 10)
    counters.incr("a", 10)
    clock.now += 4
    assert counters.get("a") == (2, 6.0)
    counters.incr("b", 10)
    counters.incr("c", 10)  # full: "a" (the window ending first) goes
    assert counters.get("a") == (0, 0.0) and counters.get("b")[0] == counters.get("c")[0] == 1
    clock.now += 10
    assert counters.get("b") == (0, 0.0)
    counters.incr("b", 10)
    assert counters.get("b")[0] == 1


def test_throttle_counts_failures_and_a_success_clears_the_username() -> None:
    throttle = LoginThrottle(MemoryCounters(), window=60, per_username=2, per_ip=3)
    throttle.failed("ada", "10.0.0.1")
    throttle.succeeded("ada")
    throttle.failed("ada", "10.0.0.1")
    throttle.check("ada", "10.0.0.1")
    throttle.failed("ADA ", "10.0.0.2")
    with pytest.raises(Throttled) as refused:
        throttle.check("ada", "10.0.0.9")
    assert refused.value.retry_after == 60 and "username" in refused.value.detail
    throttle.failed(None, "10.0.0.1")
    with pytest.raises(Throttled, match="address"):
        throttle.check("grace", "10.0.0.1")


def test_redis_counters_are_shared_and_expire(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    prefix = f"specfirst:test:login:{uuid.uuid4().hex}:"
    one, two = RedisCounters(client, prefix), RedisCounters(client, prefix)
    one.incr("k", 30)
    two.incr("k", 30)
    count, ttl = one.get("k")
    assert count == 2 and 28 < ttl <= 30
    two.reset("k")
    assert one.get("k") == (0, 0.0)
    one.incr("k", 30)
    client.delete(prefix + "k")


def test_a_redis_outage_falls_back_to_memory() -> None:
    dead = RedisCounters(redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2), "x:")
    memory = MemoryCounters()
    counters = FallbackCounters(dead, memory)
    counters.incr("k", 30)
    assert counters.get("k")[0] == 1 and memory.get("k")[0] == 1


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("127.0.0.1", "10.1.1.1", "10.1.1.1"),
        ("127.0.0.1", "6.6.6.6, 10.1.1.1", "10.1.1.1"),
        ("10.9.9.9", "6.6.6.6", "10.9.9.9"),  # not a proxy: its header is the client's word
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "10.0.0.5, 127.0.0.1", "10.0.0.5"),  # two trusted hops
    ],
)
def test_client_ip_believes_trusted_proxies_only(
    remote: str, forwarded: str, expected: str
) -> None:
    assert client_ip(remote, forwarded, ["127.0.0.0/8", "::1/128"]) == expected
