"""The gateway's RSA verification keys fetched from a JWKS URL, asynchronously.

A :class:`codegen.core.auth.bearer.KeySet` is what the one verifier,
:class:`codegen.core.auth.bearer.JwtVerifier`, reads (a local JWKS file's keys,
or these). A :class:`RemoteKeySet` fills it from
a URL (an issuer's ``/.well-known/jwks.json``) and refreshes it

* when a token names a ``kid`` it does not hold (a key was rotated in): the
  proxy awaits :meth:`RemoteKeySet.refresh` and checks the token once more.
  Refreshes are single-flight (concurrent callers share one fetch) and
  rate-limited (at most one fetch per ``min_interval`` seconds per worker), so
  tokens with made-up ``kid``s cannot turn the gateway into a load generator;
  while no key is held, sooner (:func:`codegen.core.auth.bearer.refresh_allowed`);
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
import logging
import time
from collections.abc import Callable

import httpx

from codegen.core.auth.bearer import KeySet, jwks_document, parse_jwks, refresh_allowed

log = logging.getLogger("specfirst.gateway")


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
            if not refresh_allowed(self._last_attempt, now, self.min_interval, bool(self.keys)):
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
            keys = parse_jwks(jwks_document(url, response.status_code, response.content), url)
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
