"""Login throttling: failed attempts per username and per client IP.

Each failed attempt (wrong password, unknown user, wrong client secret)
counts against the username and against the client IP, in fixed windows of
``window`` seconds. Once a counter reaches its limit every attempt for that
username or from that IP is refused with 429 and ``Retry-After`` (the rest of
the window) before any password is checked, so guessing costs the attacker
time, and a success clears the username's counter. Counters live in Redis
when ``REDIS_URL`` is set (shared by every worker and replica), else in this
process's memory (bounded; a deployment with several workers then allows up
to ``workers x limit``). If Redis fails, the memory counters take over and
the failure is logged: throttling must not make the login an outage.

Example::

    throttle = LoginThrottle(MemoryCounters(), window=300, per_username=5, per_ip=50)
    for _ in range(5):
        throttle.failed("ada@example.com", "10.0.0.1")
    throttle.check("ada@example.com", "10.0.0.1")  # raises Throttled(retry_after=300)
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

import redis
from django.conf import settings

log = logging.getLogger("specfirst.customers.login")
MAX_KEYS = 100_000


class Throttled(Exception):
    def __init__(self, retry_after: int, detail: str) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail


class Counters(Protocol):
    def get(self, key: str) -> tuple[int, float]:
        """(count, seconds until the window ends)."""
        ...

    def incr(self, key: str, window: int) -> None: ...

    def reset(self, key: str) -> None: ...


class MemoryCounters:
    """Fixed-window counters of one process, at most ``max_keys`` of them.

    A window's end is fixed when its first failure is counted, so insertion
    order is expiry order: eviction pops from the front, ended windows first.
    """

    def __init__(self, max_keys: int = MAX_KEYS, clock: Callable[[], float] = time.monotonic):
        self.max_keys = max_keys
        self.clock = clock
        self._windows: OrderedDict[str, list[float]] = OrderedDict()

    def get(self, key: str) -> tuple[int, float]:
        entry = self._windows.get(key)
        now = self.clock()
        if entry is None or entry[1] <= now:
            return 0, 0.0
        return int(entry[0]), entry[1] - now

    def incr(self, key: str, window: int) -> None:
        now = self.clock()
        entry = self._windows.get(key)
        if entry is None or entry[1] <= now:
            self._windows.pop(key, None)
            while len(self._windows) >= self.max_keys:
                self._windows.popitem(last=False)
            self._windows[key] = [1, now + window]
        else:
            entry[0] += 1

    def reset(self, key: str) -> None:
        self._windows.pop(key, None)


class RedisCounters:
    """Fixed-window counters in Redis: ``INCR`` then ``EXPIRE NX``, in one transaction."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def get(self, key: str) -> tuple[int, float]:
        pipe = self.client.pipeline()
        pipe.get(self.prefix + key)
        pipe.pttl(self.prefix + key)
        count, ttl = pipe.execute()
        return (int(count), max(0, int(ttl)) / 1000) if count is not None else (0, 0.0)

    def incr(self, key: str, window: int) -> None:
        pipe = self.client.pipeline()
        pipe.incr(self.prefix + key)
        pipe.expire(self.prefix + key, window, nx=True)
        pipe.execute()

    def reset(self, key: str) -> None:
        self.client.delete(self.prefix + key)


class FallbackCounters:
    """Redis counters that fall back to memory while Redis cannot be reached."""

    def __init__(self, primary: Counters, fallback: Counters) -> None:
        self.primary = primary
        self.fallback = fallback

    def _failed(self, exc: redis.RedisError) -> Counters:
        log.warning("login throttle: Redis failed (%s); counting in memory", exc)
        return self.fallback

    def get(self, key: str) -> tuple[int, float]:
        try:
            return self.primary.get(key)
        except redis.RedisError as exc:
            return self._failed(exc).get(key)

    def incr(self, key: str, window: int) -> None:
        try:
            self.primary.incr(key, window)
        except redis.RedisError as exc:
            self._failed(exc).incr(key, window)

    def reset(self, key: str) -> None:
        try:
            self.primary.reset(key)
        except redis.RedisError as exc:
            self._failed(exc).reset(key)


def _key(kind: str, value: str) -> str:
    """Counter keys hold digests: usernames are personal data, and may be long."""
    return kind + ":" + hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


class LoginThrottle:
    def __init__(self, counters: Counters, window: int, per_username: int, per_ip: int) -> None:
        self.counters = counters
        self.window = window
        self.per_username = per_username
        self.per_ip = per_ip

    def check(self, username: str | None, ip: str) -> None:
        """Raise :class:`Throttled` when the username or the IP used up its failures."""
        checks = [(_key("ip", ip), self.per_ip, "from this address")]
        if username:
            checks.insert(0, (_key("user", username), self.per_username, "for this username"))
        for key, limit, where in checks:
            count, remaining = self.counters.get(key)
            if count >= limit:
                retry = max(1, math.ceil(remaining))
                raise Throttled(
                    retry, f"Too many failed logins {where}; try again in {retry} seconds."
                )

    def failed(self, username: str | None, ip: str) -> None:
        self.counters.incr(_key("ip", ip), self.window)
        if username:
            self.counters.incr(_key("user", username), self.window)

    def succeeded(self, username: str) -> None:
        self.counters.reset(_key("user", username))


@lru_cache(maxsize=1)
def login_throttle() -> LoginThrottle:
    """The process's throttle, configured from settings (``SPECFIRST_LOGIN_*``, ``REDIS_URL``)."""
    memory = MemoryCounters()
    counters: Counters = memory
    if settings.SPECFIRST_LOGIN_REDIS_URL:
        client = redis.Redis.from_url(
            settings.SPECFIRST_LOGIN_REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        counters = FallbackCounters(
            RedisCounters(client, settings.SPECFIRST_LOGIN_REDIS_PREFIX), memory
        )
    return LoginThrottle(
        counters,
        window=int(settings.SPECFIRST_LOGIN_WINDOW),
        per_username=int(settings.SPECFIRST_LOGIN_FAILURES_PER_USERNAME),
        per_ip=int(settings.SPECFIRST_LOGIN_FAILURES_PER_IP),
    )


@lru_cache(maxsize=4)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(address: str, proxies: Sequence[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(proxies)))


def client_ip(remote_addr: str, forwarded_for: str, trusted_proxies: Sequence[str]) -> str:
    """The caller's address: ``X-Forwarded-For`` is read right to left only while the
    hop that wrote it is a trusted proxy (the gateway appends the client's address).

    ``client_ip("127.0.0.1", "6.6.6.6, 10.1.1.1", ["127.0.0.1/32"])`` -> ``"10.1.1.1"``.
    """
    address = remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    while hops and _trusted(address, trusted_proxies):
        address = hops.pop()
    return address
