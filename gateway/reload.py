"""Reload the routing table on SIGHUP and when spec or config files change.

A reload composes the specs again (in a worker thread, so requests keep
flowing) and swaps the app's state in one assignment; requests in flight keep
the state they started with, so none is dropped. A reload whose composition
fails keeps the old table and logs every diagnostic.

Example log lines::

    specfirst.gateway INFO routing table reloaded (SIGHUP): 12 routes
    specfirst.gateway ERROR reload failed (specs changed); keeping 12 routes:
      specs/orders.yaml:3:1 #/paths/~1items/get: error SF501: ...
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import TYPE_CHECKING

import watchfiles

if TYPE_CHECKING:
    from gateway.app import GatewayApp

log = logging.getLogger("specfirst.gateway")


class Reloader:
    def __init__(self, app: GatewayApp, watch: bool = True) -> None:
        self.app = app
        self.watch = watch
        self._stop: asyncio.Event | None = None  # created on start, in the loop
        self._task: asyncio.Task[None] | None = None
        self._lock: asyncio.Lock | None = None
        self.reloads = 0
        self._pending: set[asyncio.Future[bool]] = set()

    async def start(self) -> None:
        self._lock = asyncio.Lock()
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGHUP, self._on_signal)
        if self.watch:
            self._stop = asyncio.Event()
            self._task = asyncio.create_task(self._watch(self._stop))

    def _on_signal(self) -> None:
        task = asyncio.ensure_future(self.reload("SIGHUP"))
        self._pending.add(task)  # keep a reference until it is done
        task.add_done_callback(self._pending.discard)

    async def stop(self) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGHUP)
        if self._stop is not None:
            self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def reload(self, reason: str) -> bool:
        """Compose again and swap the state; False (old state kept) on failure."""
        assert self._lock is not None
        async with self._lock:
            old = self.app.state
            kept = len(old.table.routes) if old is not None else 0
            try:
                state = await asyncio.to_thread(self.app.load)
            except Exception as exc:
                detail = getattr(exc, "report", None) or f"{type(exc).__name__}: {exc}"
                log.error("reload failed (%s); keeping %d routes:\n%s", reason, kept, detail)
                return False
            self.app.state = state
            self.reloads += 1
            log.info("routing table reloaded (%s): %d routes", reason, len(state.table.routes))
            return True

    async def _watch(self, stop: asyncio.Event) -> None:
        config = self.app.config
        paths = [config.specs_dir, *config.config_files]
        paths = [path for path in paths if path.exists()]
        if not paths:
            return
        async for _changes in watchfiles.awatch(*paths, stop_event=stop, debounce=300):
            await self.reload("files changed")
