"""Request bodies on the proxy path: read whole, or streamed, always bounded.

Small bodies are read whole (so a retry can resend them), and so are chunked
ones (the upstream gets them with a ``Content-Length``, as nginx sends
them); large sized ones are streamed to the upstream as they arrive. Both stop at the body limit
with :class:`BodyTooLarge` (a 413 problem), at a client disconnect with
:class:`ClientGone`, and when the client sends nothing for ``timeout``
seconds, or when the whole body has not arrived by the deadline
(``[gateway.limits] body_deadline``), with :class:`BodyTimeout` (a 408
problem: neither a stalled nor a trickling upload holds a request open).

Example: ``await read_body(receive, 1024, 30.0, deadline_after(300.0))`` → ``b'{"name": "x"}'``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


class ClientGone(Exception):
    """The client went away (disconnected, or its response broke off)."""


class BodyTooLarge(Exception):
    """The request body exceeded the configured limit."""


class BodyTimeout(Exception):
    """The client stopped sending its request body (``whole``: or took longer than
    the whole-body deadline, however steadily it sent)."""

    def __init__(self, whole: bool = False) -> None:
        super().__init__("body deadline" if whole else "body stalled")
        self.whole = whole


def deadline_after(seconds: float) -> float:
    """The event-loop time ``seconds`` from now (what :func:`read_body` takes)."""
    return asyncio.get_running_loop().time() + seconds


async def _next(receive: Receive, timeout: float, deadline: float) -> MutableMapping[str, Any]:
    """The next message: :class:`BodyTimeout` after ``timeout`` seconds of silence,
    or at ``deadline`` (loop time), whichever comes first."""
    left = deadline - asyncio.get_running_loop().time()
    whole = left <= timeout
    try:
        async with asyncio.timeout(max(0.0, min(timeout, left))):
            return await receive()
    except TimeoutError:
        raise BodyTimeout(whole) from None


async def read_body(receive: Receive, limit: int, timeout: float, deadline: float) -> bytes:
    """The whole request body; :class:`BodyTooLarge` beyond ``limit`` bytes,
    :class:`BodyTimeout` after ``timeout`` s of silence or at ``deadline``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await _next(receive, timeout, deadline)
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

    __slots__ = ("deadline", "failure", "limit", "receive", "timeout")

    def __init__(self, receive: Receive, limit: int, timeout: float, deadline: float) -> None:
        self.receive = receive
        self.limit = limit
        self.timeout = timeout
        self.deadline = deadline
        self.failure: Exception | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        size = 0
        while True:
            try:
                message = await _next(self.receive, self.timeout, self.deadline)
            except BodyTimeout as exc:
                self.failure = exc
                raise
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
