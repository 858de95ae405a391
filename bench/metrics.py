"""Benchmark: the cost of recording one proxied request's metrics.

The gateway counts each request in its own registry (``gateway.metrics``:
a status counter and a latency histogram per route, found once per routing
table) and sums the workers only when scraped (``gateway.metrics_share``).
The baseline is prometheus_client doing the same work with a labelled Counter
and Histogram, in one process and in its multiprocess mode (values in mmap'd
files, ``PROMETHEUS_MULTIPROC_DIR``), each in a fresh subprocess. Figures are
nanoseconds per request, the median and the spread (min-max) of ``--repeat``
runs of ``--count`` requests, with the ratios to the gateway's registry.
prometheus_client is not a dependency of specfirst: without it the bench says
so and exits 2 (``pip install prometheus-client``).

Usage::

    .venv/bin/python bench/metrics.py [--count 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "gateway.metrics": """
from gateway.metrics import MetricsRegistry
route = MetricsRegistry().route("orders", "getOrder", "GET")
def record(seconds):
    route.observe(200, seconds)
""",
    "prometheus_client": """
from prometheus_client import Counter, Histogram
labels = ("service", "operation", "method", "status")
requests = Counter("requests", "r", labels)
latency = Histogram("latency", "l", labels[:3])
def record(seconds):
    requests.labels("orders", "getOrder", "GET", "200").inc()
    latency.labels("orders", "getOrder", "GET").observe(seconds)
""",
}
TIMING = """
import time
started = time.perf_counter()
for n in range({count}):
    record((n % 100) / 1000)
print((time.perf_counter() - started) / {count} * 1e9)
"""


def run(setup: str, count: int, env: dict[str, str]) -> float:
    code = setup + TIMING.format(count=count)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=REPO_ROOT, env=env,
    ).stdout  # fmt: skip
    return float(out.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000, help="requests recorded per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs (median and spread)")
    args = parser.parse_args()
    if importlib.util.find_spec("prometheus_client") is None:
        print("missing: prometheus_client (pip install prometheus-client)", file=sys.stderr)
        raise SystemExit(2)
    figures: dict[str, list[float]] = {}
    loads = []
    with tempfile.TemporaryDirectory() as shared:
        plain = {**os.environ}
        plain.pop("PROMETHEUS_MULTIPROC_DIR", None)
        multi = {**plain, "PROMETHEUS_MULTIPROC_DIR": shared}
        plan = [
            ("gateway.metrics", CASES["gateway.metrics"], plain),
            ("prometheus_client", CASES["prometheus_client"], plain),
            ("prometheus_client multiprocess", CASES["prometheus_client"], multi),
        ]
        for _ in range(args.repeat):
            loads.append(Path("/proc/loadavg").read_text().split()[0])
            for name, setup, env in plan:
                figures.setdefault(name, []).append(run(setup, args.count, env))
    print(f"\n{args.count} requests recorded per run, {args.repeat} runs; "
          f"load average at each: {', '.join(loads)}\n")  # fmt: skip
    ours = statistics.median(figures["gateway.metrics"])
    print(f"{'registry':<34}{'ns/request':>12}{'spread':>18}{'ratio':>8}")
    for name, values in figures.items():
        median = statistics.median(values)
        spread = f"{min(values):.0f}-{max(values):.0f}"
        print(f"{name:<34}{median:>12.0f}{spread:>18}{median / ours:>8.1f}")


if __name__ == "__main__":
    main()
