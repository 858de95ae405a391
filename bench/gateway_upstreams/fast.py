"""The fast upstream of the gateway benchmark: raw ASGI, fixed small JSON."""

from __future__ import annotations

from typing import Any

BODY = b'{"id":1,"name":"widget","price":{"amount":1299,"currency":"EUR"},"tags":["a","b"]}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
