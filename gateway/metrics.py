"""A lean Prometheus registry for the proxy's hot path.

prometheus_client's labelled metrics take a lock and a label lookup on every
observation; here each route holds its own :class:`RouteMetrics` (found once,
when the routing table is compiled), so recording a request is a few integer
additions. Measured (``bench/metrics.py``, one run of 3 x 100,000 requests, at
load average 29-30 on the shared 2-core machine): 6.1 µs per request here
(5.1-6.9), prometheus_client 66 µs (48-82, 10.8x), its multiprocess mode
100 µs (86-121, 16.3x); absolute figures are inflated by the load, the ratios
come from the same run. That difference is why the exposition stays
hand-written. :meth:`MetricsRegistry.render` writes the text exposition format
(version 0.0.4). With one worker the figures are this process's (label
``pid``); with several, :mod:`gateway.metrics_share` sums every worker's
snapshot into one answer (no ``pid``), so the hot path pays nothing for it.

Example output::

    specfirst_gateway_requests_total{service="orders",operation="getOrder",...,status="200"} 3
    specfirst_gateway_request_duration_seconds_bucket{service="orders",...,le="0.005"} 3
    specfirst_gateway_upstream_errors_total{service="orders",...,kind="timeout"} 1
"""

from __future__ import annotations

import os
from bisect import bisect_left
from typing import Any

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CONTENT_TYPE = b"text/plain; version=0.0.4; charset=utf-8"


class RouteMetrics:
    """Counters and one latency histogram for one (service, operation, method)."""

    __slots__ = ("buckets", "count", "errors", "method", "operation", "service", "statuses", "sum")

    def __init__(self, service: str, operation: str, method: str) -> None:
        self.service = service
        self.operation = operation
        self.method = method
        self.statuses: dict[int, int] = {}
        self.errors: dict[str, int] = {}
        self.buckets = [0] * (len(BUCKETS) + 1)
        self.sum = 0.0
        self.count = 0

    def observe(self, status: int, seconds: float) -> None:
        statuses = self.statuses
        statuses[status] = statuses.get(status, 0) + 1
        self.buckets[bisect_left(BUCKETS, seconds)] += 1
        self.sum += seconds
        self.count += 1

    def upstream_error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def snapshot(self) -> list[Any]:
        """The figures as JSON-ready data (:meth:`MetricsRegistry.absorb` reads it)."""
        return [self.service, self.operation, self.method, list(self.statuses.items()),
                list(self.errors.items()), self.buckets, self.sum, self.count]  # fmt: skip

    def add(self, snapshot: list[Any]) -> None:
        """Add another process's figures for the same route."""
        statuses, errors, buckets, total, count = snapshot[3:]
        for status, n in statuses:
            self.statuses[int(status)] = self.statuses.get(int(status), 0) + int(n)
        for kind, n in errors:
            self.errors[str(kind)] = self.errors.get(str(kind), 0) + int(n)
        for index, n in enumerate(buckets[: len(self.buckets)]):
            self.buckets[index] += int(n)
        self.sum += float(total)
        self.count += int(count)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class MetricsRegistry:
    """All route metrics of one process; survives routing-table reloads."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str, str], RouteMetrics] = {}

    def route(self, service: str, operation: str, method: str) -> RouteMetrics:
        key = (service, operation, method)
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = RouteMetrics(service, operation, method)
        return found

    def snapshot(self) -> list[list[Any]]:
        """Every route that has counted something, as JSON-ready data."""
        return [m.snapshot() for m in self._routes.values() if m.count or m.errors]

    def absorb(self, snapshot: list[list[Any]]) -> None:
        """Add the figures of another registry's :meth:`snapshot`."""
        for route in snapshot:
            self.route(str(route[0]), str(route[1]), str(route[2])).add(route)

    def render(self, per_process: bool = True) -> bytes:
        """The exposition text; ``per_process``: label each series with this
        process's ``pid`` (one worker's figures), else none (summed ones)."""
        pid = f',pid="{os.getpid()}"' if per_process else ""
        lines = [
            "# HELP specfirst_gateway_requests_total Requests answered, by route and status.",
            "# TYPE specfirst_gateway_requests_total counter",
        ]
        ordered = [self._routes[key] for key in sorted(self._routes)]
        for m in ordered:
            labels = self._labels(m)
            for status in sorted(m.statuses):
                lines.append(
                    f'specfirst_gateway_requests_total{{{labels},status="{status}"{pid}}} '
                    f"{m.statuses[status]}"
                )
        lines += [
            "# HELP specfirst_gateway_request_duration_seconds Time from request to response.",
            "# TYPE specfirst_gateway_request_duration_seconds histogram",
        ]
        for m in ordered:
            lines.extend(self._histogram(m, pid))
        lines += [
            "# HELP specfirst_gateway_upstream_errors_total Upstream failures, by kind.",
            "# TYPE specfirst_gateway_upstream_errors_total counter",
        ]
        for m in ordered:
            labels = self._labels(m)
            for kind in sorted(m.errors):
                lines.append(
                    f'specfirst_gateway_upstream_errors_total{{{labels},kind="{kind}"{pid}}} '
                    f"{m.errors[kind]}"
                )
        return ("\n".join(lines) + "\n").encode()

    @staticmethod
    def _labels(m: RouteMetrics) -> str:
        return (
            f'service="{_escape(m.service)}",operation="{_escape(m.operation)}",'
            f'method="{_escape(m.method)}"'
        )

    def _histogram(self, m: RouteMetrics, pid: str) -> list[str]:
        if not m.count:
            return []
        name = "specfirst_gateway_request_duration_seconds"
        labels = self._labels(m)
        lines: list[str] = []
        total = 0
        for bound, count in zip((*BUCKETS, float("inf")), m.buckets, strict=True):
            total += count
            le = "+Inf" if bound == float("inf") else repr(bound)
            lines.append(f'{name}_bucket{{{labels},le="{le}"{pid}}} {total}')
        lines.append(f"{name}_sum{{{labels}{pid}}} {m.sum!r}")
        lines.append(f"{name}_count{{{labels}{pid}}} {m.count}")
        return lines
