"""RSA verification keys by ``kid``: from a local JWKS file, or fetched from a JWKS URL.

A :class:`KeySet` is what :class:`gateway.auth.jwt_verify.JwtVerifier` reads:
a dict from ``kid`` to (key, ``alg``), replaced whole, never mutated, so a
request always sees one consistent set. A :class:`RemoteKeySet` fills it from
a URL (an issuer's ``/.well-known/jwks.json``) and refreshes it

* when a token names a ``kid`` it does not hold (a key was rotated in): the
  proxy awaits :meth:`RemoteKeySet.refresh` and checks the token once more.
  Refreshes are single-flight (concurrent callers share one fetch) and
  rate-limited (at most one fetch per ``min_interval`` seconds per worker), so
  tokens with made-up ``kid``s cannot turn the gateway into a load generator.
  While no key is held (the issuer was not up yet, or published none before
  its first login) the interval is :data:`EMPTY_RETRY` instead: the system's
  first token must not wait out a lock-out that protects keys nobody has yet;
* every ``max_age`` seconds in the background (:meth:`RemoteKeySet.run`),
  which also drops keys the issuer no longer publishes.

The fetch is asynchronous (httpx) with a timeout and a size cap; a failed
fetch keeps the keys held and is logged. The URL may be a path
(``/.well-known/jwks.json``): it is then resolved through the routing table
to the service that owns it and fetched from that upstream directly, never
through the gateway's own listener.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import jwt

log = logging.getLogger("specfirst.gateway")
MAX_JWKS_BYTES = 1024 * 1024
EMPTY_RETRY = 1.0  # seconds between fetches while no key is held
Keys = Mapping[str, tuple[Any, str | None]]


class JwksError(ValueError):
    """A JWKS cannot be used; the message says where and why."""


def parse_jwks(data: Any, source: str) -> dict[str, tuple[Any, str | None]]:
    """RSA signing keys of a JWKS document by ``kid`` (``""`` for a key without one).

    Keys of other types, or for another ``use``, are skipped; an RSA key that
    cannot be loaded makes the whole set unusable (:class:`JwksError`).
    """
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise JwksError(f"{source}: a JWKS must be an object with a 'keys' array")
    found: dict[str, tuple[Any, str | None]] = {}
    for index, jwk in enumerate(keys):
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
            continue
        if jwk.get("use") not in (None, "sig"):
            continue
        try:
            found[str(jwk.get("kid", ""))] = (jwt.PyJWK(jwk).key, jwk.get("alg"))
        except jwt.PyJWTError as exc:
            raise JwksError(f"{source}: key {index} is not a usable RSA key: {exc}") from None
    return found


def load_jwks(path: Path) -> dict[str, tuple[Any, str | None]]:
    """The keys of a JWKS file (:func:`parse_jwks`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise JwksError(f"{path}: cannot read JWKS: {exc}") from None
    return parse_jwks(data, str(path))


class KeySet:
    """Keys by ``kid``; a local set (a JWKS file's) never changes."""

    def __init__(self, keys: Keys | None = None) -> None:
        self.keys: Keys = dict(keys or {})


class RemoteKeySet(KeySet):
    """Keys fetched from ``url()`` (see the module doc)."""

    def __init__(
        self,
        url: Callable[[], str | None],
        *,
        min_interval: float = 10.0,
        max_age: float = 300.0,
        timeout: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.url = url
        self.min_interval = min_interval
        self.max_age = max_age
        self.timeout = timeout
        self.clock = clock
        self.fetches = 0  # attempts made, for metrics and tests
        self._last_attempt: float | None = None
        self._running: asyncio.Task[bool] | None = None

    async def refresh(self) -> bool:
        """Fetch the set unless one was fetched less than ``min_interval`` ago;
        True when the keys changed. Concurrent callers share one fetch."""
        if self._running is None:
            now = self.clock()
            interval = self.min_interval if self.keys else min(self.min_interval, EMPTY_RETRY)
            if self._last_attempt is not None and now - self._last_attempt < interval:
                return False
            self._last_attempt = now
            self._running = asyncio.create_task(self._fetch())
            self._running.add_done_callback(self._finished)
        return await asyncio.shield(self._running)

    def _finished(self, task: asyncio.Task[bool]) -> None:
        self._running = None

    async def _fetch(self) -> bool:
        self.fetches += 1
        url = self.url()
        if url is None:
            log.warning("JWKS: no route serves the configured JWKS path yet")
            return False
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(url, headers={"Accept": "application/json"})
            if response.status_code != 200:
                raise JwksError(f"{url}: answered {response.status_code}")
            if len(response.content) > MAX_JWKS_BYTES:
                raise JwksError(f"{url}: larger than {MAX_JWKS_BYTES} bytes")
            keys = parse_jwks(response.json(), url)
        except (httpx.HTTPError, ValueError) as exc:  # JwksError and bad JSON are ValueErrors
            log.warning("JWKS: cannot refresh from %s: %s; keeping %d key(s)", url, exc,
                        len(self.keys))  # fmt: skip
            return False
        changed = set(keys) != set(self.keys)
        self.keys = keys
        if changed:
            log.info("JWKS: %d key(s) from %s: %s", len(keys), url, ", ".join(sorted(keys)))
        return changed

    async def run(self) -> None:
        """Fetch now, then every ``max_age`` seconds (a background task; cancel to stop)."""
        while True:
            await self.refresh()
            await asyncio.sleep(self.max_age)
