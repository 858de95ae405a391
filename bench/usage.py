"""Benchmark: what live usage recording costs the gateway, measured in one run.

Two gateways (1 worker each, access log off) in front of the same fast
upstream (raw ASGI, uvicorn): one with ``[gateway.usage]`` off, one with it on
(SQLite store, or Redis with ``--redis``). Runs alternate off/on ``--runs``
times (default 3) with wrk, and the script prints, per configuration, the
median and spread (min-max) of requests per second and of the gateway's CPU
time per request, then the on/off ratios. A second part times the recorder
in process: the hot-path hook (``observe``) per request, and the deferred
work (counting and writing one flush) per request.

Usage::

    .venv/bin/python bench/usage.py [--duration 8] [--connections 32] [--runs 3] [--redis URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.gateway import PYTHON, UPSTREAMS, Load, free_port, running, wrk  # noqa: E402
from gateway.config import UsageConfig  # noqa: E402
from gateway.state import RouteRuntime  # noqa: E402
from gateway.usage.recorder import UsageRecorder  # noqa: E402
from gateway.usage.stores import SqliteUsageStore  # noqa: E402

SPEC = """
    openapi: 3.1.0
    info: {title: fast, version: "1"}
    paths:
      /items/{itemId}:
        get:
          operationId: getFastItem
          parameters:
            - {name: itemId, in: path, required: true, schema: {type: integer}}
            - {name: expand, in: query, schema: {type: string}}
          responses: {"200": {description: ok}}
"""
PATH = "/items/1?expand=all"


def _project(root: Path, upstream: int, usage: str) -> None:
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "fast.yaml").write_text(textwrap.dedent(SPEC).lstrip())
    (root / "specfirst.toml").write_text(
        f'[services.fast]\nupstream = "http://127.0.0.1:{upstream}"\n{usage}'
    )


def gateway_loads(args: argparse.Namespace, tmp: Path) -> dict[str, list[Load]]:
    fast = free_port()
    ports = {"off": free_port(), "on": free_port()}
    store = f'redis_url = "{args.redis}"\n' if args.redis else ""
    settings = {
        "off": "",
        "on": f"[gateway.usage]\nenabled = true\nflush_interval = 2.0\n{store}",
    }
    fast_cmd = [PYTHON, "-m", "uvicorn", "--app-dir", str(UPSTREAMS), "fast:app", "--port",
                str(fast), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                "--log-level", "warning"]  # fmt: skip
    loads: dict[str, list[Load]] = {"off": [], "on": []}
    with running(fast_cmd, f"http://127.0.0.1:{fast}/items/1", tmp / "fast.log"):
        gateways = {}
        for name, port in ports.items():
            root = tmp / name
            _project(root, fast, settings[name])
            gateways[name] = [PYTHON, "-m", "gateway", "gateway", "--root", str(root),
                              "--port", str(port), "--workers", "1", "--no-access-log"]  # fmt: skip
        with (
            running(gateways["off"], f"http://127.0.0.1:{ports['off']}/items/1",
                    tmp / "off.log") as off,
            running(gateways["on"], f"http://127.0.0.1:{ports['on']}/items/1",
                    tmp / "on.log") as on,
        ):  # fmt: skip
            pids = {"off": off.pid, "on": on.pid}
            for run in range(args.runs):
                for name in ("off", "on") if run % 2 == 0 else ("on", "off"):
                    url = f"http://127.0.0.1:{ports[name]}{PATH}"
                    load = wrk(name, url, args.duration, args.connections, 2, proxy=pids[name])
                    loads[name].append(load)
                    print(f"  run {run + 1} usage {name}: {load.requests_per_second:,.0f} rps",
                          file=sys.stderr)  # fmt: skip
    return loads


def recorder_costs(tmp: Path, requests: int = 50_000) -> tuple[float, float]:
    """(µs per observe(), µs per request of one flush) for GET requests with a query."""
    document: dict[str, Any] = {"paths": {"/items/{itemId}": {"get": {"parameters": [
        {"name": "expand", "in": "query"}]}}}}  # fmt: skip
    route = SimpleNamespace(service="fast", method="GET", key="/items/{itemId}",
                            pointer="/paths/~1items~1{itemId}/get")  # fmt: skip

    class Runtime:
        pass

    rt = cast(RouteRuntime, Runtime())
    rt.route = route  # type: ignore[attr-defined]
    config = UsageConfig(enabled=True, max_pending=requests + 1)
    store = SqliteUsageStore(tmp / "micro.sqlite3", 2000, 35)
    recorder = UsageRecorder(config, store, lambda: document)
    scope = {"query_string": b"expand=all", "headers": [(b"host", b"x"), (b"accept", b"*/*")]}
    started = time.perf_counter()
    for _ in range(requests):
        recorder.observe(rt, scope, 200, "web", None)
    hook = (time.perf_counter() - started) / requests * 1e6
    started = time.perf_counter()
    asyncio.run(recorder.flush())
    flush = (time.perf_counter() - started) / requests * 1e6
    today = dt.datetime.now(dt.UTC).date()
    counted = asyncio.run(store.read(today, today))
    assert next(iter(counted.values()))["n"] == requests
    return hook, flush


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.1f} ({min(values):,.1f}-{max(values):,.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per load run (1-60)")
    parser.add_argument("--connections", type=int, default=32, help="connections (1-256)")
    parser.add_argument("--runs", type=int, default=3, help="runs per configuration (1-9)")
    parser.add_argument("--redis", help="store usage in this Redis (127.0.0.1 only)")
    args = parser.parse_args()
    if not (1 <= args.duration <= 60 and 1 <= args.connections <= 256 and 1 <= args.runs <= 9):
        parser.error("--duration 1-60, --connections 1-256, --runs 1-9")
    if args.redis and "127.0.0.1" not in args.redis:
        parser.error("--redis must be on 127.0.0.1")
    with tempfile.TemporaryDirectory(prefix="specfirst-bench-usage-") as name:
        tmp = Path(name)
        hook, flush = recorder_costs(tmp)
        loads = gateway_loads(args, tmp)
    print(f"usage recording, {args.runs} runs of {args.duration}s at {args.connections} "
          f"connections; store: {'redis' if args.redis else 'sqlite'}")  # fmt: skip
    print("config   rps median (min-max)      gateway CPU us/request median (min-max)")
    for name, runs in loads.items():
        rps = [load.requests_per_second for load in runs]
        cpu = [load.proxy_cpu_us or 0.0 for load in runs]
        print(f"{name:<8} {_spread(rps):<25} {_spread(cpu)}")
    off = statistics.median(load.requests_per_second for load in loads["off"])
    on = statistics.median(load.requests_per_second for load in loads["on"])
    off_cpu = statistics.median(load.proxy_cpu_us or 0.0 for load in loads["off"])
    on_cpu = statistics.median(load.proxy_cpu_us or 0.0 for load in loads["on"])
    print(f"ratio on/off: throughput {on / off:.3f}, CPU per request {on_cpu / off_cpu:.3f}")
    print(f"in process: observe() {hook:.2f} us/request on the request path; "
          f"flush {flush:.2f} us/request in the background")  # fmt: skip


if __name__ == "__main__":
    main()
