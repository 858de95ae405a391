"""One ``/metrics`` answer for all gateway workers.

With several workers each process counts on its own (the hot path stays a
few integer additions, :mod:`gateway.metrics`). Each worker writes a snapshot
of its registry to ``<directory>/<pid>.json`` every :data:`FLUSH_EVERY`
seconds (atomically: a temporary file, then a rename) and at shutdown; the
worker that answers a scrape writes its own first, then sums every file. As
in prometheus_client's multiprocess mode, a worker that exited keeps its
file, so counters never go backwards. The supervisor
(:func:`gateway.server.serve`) makes the directory, passes it in
:data:`DIRECTORY_ENV` and removes it at exit. Other workers' figures are at
most :data:`FLUSH_EVERY` seconds old.

Why not prometheus_client's multiprocess mode: its values live in mmap'd
files written on every observation, behind a lock and a label lookup; this
keeps the observation as it was and moves the cost to the scrape.

Example: two workers served 30 and 31 requests →
``specfirst_gateway_requests_total{service="orders",...,status="200"} 61`` and
``specfirst_gateway_workers 2``.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from gateway.metrics import MetricsRegistry

DIRECTORY_ENV = "SPECFIRST_GATEWAY_METRICS_DIR"
FLUSH_EVERY = 1.0


class SharedMetrics:
    """This worker's registry, shared through ``directory`` (see module doc)."""

    def __init__(self, registry: MetricsRegistry, directory: Path) -> None:
        self.registry = registry
        self.directory = directory
        self.path = directory / f"{os.getpid()}.json"
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> None:
        self.flush()
        self._timer = asyncio.get_running_loop().call_later(FLUSH_EVERY, self._tick)

    def _tick(self) -> None:
        self.flush()
        self._timer = asyncio.get_running_loop().call_later(FLUSH_EVERY, self._tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.flush()

    def flush(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(json.dumps(self.registry.snapshot()).encode())
        temporary.replace(self.path)

    def render(self) -> bytes:
        """Every worker's figures, summed, in the exposition format."""
        self.flush()
        total = MetricsRegistry()
        workers = 0
        for path in sorted(self.directory.glob("*.json")):
            try:
                snapshot = json.loads(path.read_bytes())
            except (OSError, ValueError):  # removed or replaced while read: skip it
                continue
            total.absorb(snapshot)
            workers += 1
        gauge = (
            "# HELP specfirst_gateway_workers Worker processes whose figures are summed here.\n"
            "# TYPE specfirst_gateway_workers gauge\n"
            f"specfirst_gateway_workers {workers}\n"
        )
        return total.render(per_process=False) + gauge.encode()
