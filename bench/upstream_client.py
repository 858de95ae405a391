"""Benchmark: the gateway's upstream client against maintained HTTP/1.1 clients.

The question (issue 14): is ``gateway/client/`` still worth keeping? Each
client sends the same keep-alive GETs (four request headers, a small JSON
answer read whole) to one fast upstream (raw ASGI under uvicorn, uvloop +
httptools) on 127.0.0.1, from a uvloop event loop, ``--concurrency`` requests
at a time, ``--count`` in all. The figure is the client process's CPU time
per request (``time.process_time``: user + system of this process only, so
the upstream's work is not in it), the steadiest measure on a shared
machine. Clients run interleaved (A, B, C, A, B, C, ...) ``--repeat`` times;
the median, the spread (min-max) and each client's ratio to the gateway's
own client are printed, with the load average at each round.

Clients: ``gateway.client.UpstreamPool`` (ours); ``httpcore.AsyncConnectionPool``
(h11 underneath, what httpx uses); ``httpx.AsyncClient``.

Usage::

    .venv/bin/python bench/upstream_client.py [--count 5000] [--concurrency 16] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpcore
import httpx
import uvloop

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.gateway import PYTHON, UPSTREAMS, free_port, load_average, running  # noqa: E402
from gateway.client import Origin, UpstreamPool  # noqa: E402

# httpcore asks ``import sniffio`` on every request and falls back when it is absent (it
# is not a dependency here): a failed import is not cached, so each one would search
# sys.path again, a cost of this environment rather than of httpcore. Cache the miss.
sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

HEADERS = [
    (b"accept", b"application/json"),
    (b"user-agent", b"bench"),
    (b"x-forwarded-for", b"127.0.0.1"),
    (b"x-request-id", b"0123456789abcdef0123456789abcdef"),
]
Fetch = Callable[[], Awaitable[bytes]]
Client = Callable[[str], Awaitable[tuple[Fetch, Callable[[], Awaitable[None]]]]]


async def ours(url: str) -> tuple[Fetch, Callable[[], Awaitable[None]]]:
    pool = UpstreamPool()
    origin = Origin.parse(url)

    async def fetch() -> bytes:
        response = await pool.request(
            origin, b"GET", b"/items/1", HEADERS, None, timeout=10, connect_timeout=5
        )
        try:
            return await response.read()
        finally:
            response.release()

    return fetch, pool.close


async def with_httpcore(url: str) -> tuple[Fetch, Callable[[], Awaitable[None]]]:
    pool = httpcore.AsyncConnectionPool(max_connections=256)
    target = url + "/items/1"

    async def fetch() -> bytes:
        response = await pool.request("GET", target, headers=HEADERS)
        return response.content

    return fetch, pool.aclose


async def with_httpx(url: str) -> tuple[Fetch, Callable[[], Awaitable[None]]]:
    client = httpx.AsyncClient(base_url=url, limits=httpx.Limits(max_connections=256))
    headers = [(k.decode(), v.decode()) for k, v in HEADERS]

    async def fetch() -> bytes:
        response = await client.get("/items/1", headers=headers)
        return response.content

    return fetch, client.aclose


CLIENTS: dict[str, Client] = {
    "gateway.client (ours)": ours,
    "httpcore (h11)": with_httpcore,
    "httpx.AsyncClient": with_httpx,
}


async def cpu_per_request(client: Client, url: str, count: int, concurrency: int) -> float:
    """CPU microseconds per request, after a warm-up of one round."""
    fetch, close = await client(url)

    async def worker(n: int) -> None:
        for _ in range(n):
            body = await fetch()
            assert body.startswith(b'{"id":1'), body

    try:
        await asyncio.gather(*(worker(10) for _ in range(concurrency)))
        started = time.process_time()
        await asyncio.gather(*(worker(count // concurrency) for _ in range(concurrency)))
        elapsed = time.process_time() - started
    finally:
        await close()
    return elapsed / (count // concurrency * concurrency) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000, help="requests per client and round")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median and spread)")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    upstream = [PYTHON, "-m", "uvicorn", "--app-dir", str(UPSTREAMS), "fast:app", "--port",
                str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                "--log-level", "warning", "--timeout-keep-alive", "60"]  # fmt: skip
    figures: dict[str, list[float]] = {name: [] for name in CLIENTS}
    loads = []
    with running(upstream, url + "/items/1", Path("/dev/null")):
        for _ in range(args.repeat):
            loads.append(load_average())
            for name, client in CLIENTS.items():
                cost = uvloop.run(cpu_per_request(client, url, args.count, args.concurrency))
                figures[name].append(cost)
    print(f"\n{args.count} GETs per client and round, {args.concurrency} in flight, "
          f"{args.repeat} rounds; load average at each round: {', '.join(loads)}\n")  # fmt: skip
    print(f"{'client':<24}{'CPU us/req median':>18}{'spread':>16}{'ratio to ours':>15}")
    ours_median = statistics.median(figures["gateway.client (ours)"])
    for name, values in figures.items():
        median = statistics.median(values)
        spread = f"{min(values):.1f}-{max(values):.1f}"
        print(f"{name:<24}{median:>18.1f}{spread:>16}{median / ours_median:>15.2f}")


if __name__ == "__main__":
    main()
