"""Token-bucket rate limiting per client, in memory or shared through Redis.

Each client (the verified identity, from a token or an API key, else the
client IP: see :func:`client_key`) has a bucket of ``burst`` tokens refilled at ``rate``
tokens per second; a request takes one token or is refused with 429. With
``REDIS_URL`` set, buckets live in Redis and one Lua script reads, refills and
takes atomically (Redis's own clock), so every gateway worker shares them. If
Redis cannot be reached the request is allowed and the failure logged: the
limiter protects upstreams, it must not become an outage itself.

Example::

    >>> b = MemoryBuckets(rate=1.0, burst=2, clock=lambda: 0.0)
    >>> [b.take("ip:1").allowed for _ in range(3)]
    [True, True, False]
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis.asyncio as redis_asyncio

from gateway.auth.policy import Identity

log = logging.getLogger("specfirst.gateway")
_MAX_KEYS = 100_000

LUA_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
"""


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after: int  # seconds until one token is back (0 when allowed)
    reset: int  # seconds until the bucket is full again


def decide(allowed: bool, tokens: float, rate: float, burst: int) -> Decision:
    """The decision after a take that left ``tokens`` in the bucket."""
    retry = 0 if allowed else max(1, math.ceil((1 - tokens) / rate))
    return Decision(allowed, int(tokens), retry, math.ceil((burst - tokens) / rate))


def client_key(identity: Identity | None, client_ip: str | None) -> str:
    """``sub:alice`` (a token's subject), ``key:ci-bot`` (an API key's subject) or
    ``ip:127.0.0.1``. Only *verified* credentials count: an unverified header
    would let one client mint itself fresh buckets."""
    if identity is not None and identity.subject:
        kind = "key" if identity.api_key else "sub"
        return f"{kind}:{identity.subject}"
    return f"ip:{client_ip or 'unknown'}"


def headers(decision: Decision, rate: float, burst: int) -> list[tuple[bytes, bytes]]:
    """IETF draft RateLimit fields plus Retry-After on refusal, e.g.
    ``RateLimit-Policy: "default";q=100;w=10`` and ``RateLimit: "default";r=99;t=1``."""
    window = max(1, math.ceil(burst / rate))
    out = [
        (b"ratelimit-policy", f'"default";q={burst};w={window}'.encode()),
        (b"ratelimit", f'"default";r={decision.remaining};t={decision.reset}'.encode()),
    ]
    if not decision.allowed:
        out.append((b"retry-after", str(decision.retry_after).encode()))
    return out


class MemoryBuckets:
    """Buckets in this process's memory (one worker's view), at most ``max_keys``.

    Buckets are kept in order of last use. A new key past ``max_keys`` first
    evicts the least recently used buckets that have refilled completely: a
    full bucket is exactly what a fresh one would be, so nobody's limit is
    reset. When every bucket is still refilling (a client rotating keys faster
    than they refill), new keys share one overflow bucket instead, limited
    together until buckets refill: memory stays bounded and no existing
    bucket is ever dropped early.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = _MAX_KEYS,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, list[float]] = OrderedDict()
        self._overflow = [float(burst), clock()]

    def take(self, key: str) -> Decision:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is not None:
            self._buckets.move_to_end(key)
        elif self._room(now):
            bucket = self._buckets[key] = [float(self.burst), now]
        else:
            bucket = self._overflow
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        bucket[0] = tokens
        bucket[1] = now
        return decide(allowed, tokens, self.rate, self.burst)

    def _room(self, now: float) -> bool:
        """Whether a new bucket fits, after evicting idle (refilled) ones."""
        buckets = self._buckets
        while len(buckets) >= self.max_keys:
            tokens, last = next(iter(buckets.values()))
            if tokens + (now - last) * self.rate < self.burst:
                return False  # the least recently used still refills: no scan past it
            buckets.popitem(last=False)
        return True


class RedisBuckets:
    """Buckets in Redis, shared by every worker; atomic through one Lua script."""

    def __init__(self, url: str, rate: float, burst: int, prefix: str = "specfirst:rl:") -> None:
        self.rate = rate
        self.burst = burst
        self.prefix = prefix
        self.client: Any = redis_asyncio.from_url(
            url, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        self._script = self.client.register_script(LUA_TAKE)

    async def take(self, key: str) -> Decision:
        try:
            allowed, tokens = await self._script(
                keys=[self.prefix + key], args=[self.rate, self.burst]
            )
        except Exception as exc:  # any Redis failure: fail open, loudly
            log.warning("rate limiter: Redis unavailable (%s); request allowed", exc)
            return Decision(True, self.burst, 0, 0)
        return decide(bool(int(allowed)), float(tokens), self.rate, self.burst)

    async def close(self) -> None:
        await self.client.aclose()
