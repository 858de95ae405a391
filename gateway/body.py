"""Request bodies on the proxy path: read whole, or streamed, always bounded.

Small bodies are read whole (so a retry can resend them); large or chunked
ones are streamed to the upstream as they arrive. Both stop at the body limit
with :class:`BodyTooLarge` (a 413 problem), and at a client disconnect with
:class:`ClientGone`.

Example: ``await read_body(receive, 1024)`` → ``b'{"name": "x"}'``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


class ClientGone(Exception):
    """The client went away (disconnected, or its response broke off)."""


class BodyTooLarge(Exception):
    """The request body exceeded the configured limit."""


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body; :class:`BodyTooLarge` beyond ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class BodyStream:
    """The request body as it arrives, bounded by ``limit``. The failure is
    kept here too, since the upstream client may wrap what it raises."""

    __slots__ = ("failure", "limit", "receive")

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.failure: Exception | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        size = 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                self.failure = ClientGone()
                raise self.failure
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                self.failure = BodyTooLarge()
                raise self.failure
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return
