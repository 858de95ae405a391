"""A tiny ASGI upstream for gateway tests, run by uvicorn in a subprocess.

Paths (any method unless noted):

* ``/slow/{seconds}``: answers after sleeping;
* ``/big/{n}``: streams ``n`` bytes of ``x`` without Content-Length (chunked);
* ``/status/{code}``: answers that status with a small body;
* ``/readyz``: 200;
* anything else: a JSON echo of method, path, raw path, query, headers, the
  body's length and SHA-256, and the request's own framing headers.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
    path: str = scope["path"]
    digest = hashlib.sha256()
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        digest.update(chunk)
        size += len(chunk)
        if not message.get("more_body"):
            break
    parts = path.strip("/").split("/")
    if parts[0] == "slow":
        await asyncio.sleep(float(parts[1]))
    if parts[0] == "big":
        n = int(parts[1])
        await send(
            {"type": "http.response.start", "status": 200,
             "headers": [(b"content-type", b"application/octet-stream")]}
        )  # fmt: skip
        sent = 0
        while sent < n:
            piece = min(65536, n - sent)
            await send({"type": "http.response.body", "body": b"x" * piece, "more_body": True})
            sent += piece
        await send({"type": "http.response.body", "body": b""})
        return
    status = int(parts[1]) if parts[0] == "status" else 200
    body = json.dumps(
        {
            "method": scope["method"],
            "path": path,
            "raw_path": (scope.get("raw_path") or b"").decode("latin-1"),
            "query": scope["query_string"].decode("latin-1"),
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
            "body_size": size,
            "body_sha256": digest.hexdigest(),
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-upstream", b"test"),
                (b"connection", b"keep-alive, x-secret-hop"),
                (b"x-secret-hop", b"1"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
