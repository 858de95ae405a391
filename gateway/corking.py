"""Coalesce the server's writes of one loop iteration into one socket write.

uvicorn writes a response's status line and headers, then its body, with two
``transport.write`` calls, and each is a ``send()`` system call on the
client socket. A proxied response is small and ready at once, so the gateway
wraps the server transport: writes are buffered and flushed together at the
end of the current event-loop iteration (or at once past :data:`FLUSH_AT`
bytes, or on close). One system call instead of two, measured with
bench/gateway.py.

Example: ``write(b"HTTP/1.1 200 OK...\\r\\n\\r\\n"); write(b'{"id":1}')`` → one
``send()`` of both, a few microseconds later in the same iteration.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

FLUSH_AT = 64 * 1024


class CorkedTransport:
    """A transport proxy that batches writes (see the module docstring)."""

    __slots__ = ("_buffer", "_loop", "_size", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._buffer: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        if not self._buffer:
            self._loop.call_soon(self.flush)
        self._buffer.append(data)
        self._size += len(data)
        if self._size >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        data = b"".join(self._buffer) if len(self._buffer) > 1 else self._buffer[0]
        self._buffer.clear()
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    # The rest of the transport API, delegated by name: a ``__getattr__`` would put
    # a hook on every attribute read of this object, a measured cost per request.
    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._size

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def abort(self) -> None:
        self._buffer.clear()
        self._size = 0
        self._transport.abort()


class CorkedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through a :class:`CorkedTransport`."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        corked = CorkedTransport(transport, asyncio.get_running_loop())  # type: ignore[arg-type]
        super().connection_made(corked)  # type: ignore[arg-type]
