"""The gateway's own HTTP/1.1 upstream client: a keep-alive pool over asyncio."""

from __future__ import annotations

from gateway.client.connection import (
    ConnectFailed,
    Disconnected,
    ProtocolFailure,
    ReadTimeout,
    UpstreamError,
    UpstreamResponse,
)
from gateway.client.pool import Origin, UpstreamPool

__all__ = [
    "ConnectFailed",
    "Disconnected",
    "Origin",
    "ProtocolFailure",
    "ReadTimeout",
    "UpstreamError",
    "UpstreamPool",
    "UpstreamResponse",
]
