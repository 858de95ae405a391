"""``/healthz`` (this process is alive) and ``/readyz`` (every upstream is ready).

``/readyz`` asks each configured upstream's own ``/readyz`` concurrently, with
a short timeout, and answers 200 only when all answer 2xx; otherwise 503. It
is public (load balancers and probes call it), so by default its body says
only that: ``{"status": "ready"}`` or ``{"status": "not ready"}``. With
``readiness_details = true`` it also says what each upstream answered, which
names the internal URLs (for operators, not for the world).

Example body with details::

    {"status": "not ready", "upstreams": {"orders": {"url": "http://127.0.0.1:8001",
     "ready": false, "detail": "connection refused"}}}
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import orjson

from gateway.client import Origin, UpstreamError, UpstreamPool

READY_TIMEOUT = 2.0


def healthz_body(routes: int) -> bytes:
    return orjson.dumps({"status": "ok", "routes": routes})


async def _probe(pool: UpstreamPool, url: str | None) -> dict[str, Any]:
    if url is None:
        return {"url": None, "ready": False, "detail": "no upstream configured"}
    origin = Origin.parse(url)
    target = (origin.base_path + "/readyz").encode()
    try:
        response = await pool.request(
            origin, b"GET", target, [], None, timeout=READY_TIMEOUT, connect_timeout=READY_TIMEOUT
        )
        try:
            await response.read()
        finally:
            response.release()
    except UpstreamError as exc:
        return {"url": url, "ready": False, "detail": f"{type(exc).__name__}: {exc}"}
    ready = 200 <= response.status < 300
    return {"url": url, "ready": ready, "detail": f"HTTP {response.status}"}


async def readyz(
    pool: UpstreamPool, upstreams: Mapping[str, str | None], *, details: bool = False
) -> tuple[int, bytes]:
    """(status, JSON body) aggregating every upstream's readiness; ``details``
    adds each upstream's URL and answer."""
    names = sorted(upstreams)
    results = await asyncio.gather(*(_probe(pool, upstreams[name]) for name in names))
    ready = all(result["ready"] for result in results)
    body: dict[str, Any] = {"status": "ready" if ready else "not ready"}
    if details:
        body["upstreams"] = dict(zip(names, results, strict=True))
    return (200 if ready else 503), orjson.dumps(body)
