"""Raw HTTP/1.1 on a socket: requests byte for byte, as no client library would send them."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawAnswer:
    status: int
    headers: dict[str, str]  # lower-case names; the last value of a repeated header
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def parse_answer(data: bytes) -> RawAnswer:
    """The first response in ``data`` (``HTTP/1.1 404 Not Found\\r\\n...``)."""
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", len(rest)))
    return RawAnswer(status, headers, rest[:length])


def exchange(port: int, data: bytes, timeout: float = 10.0, *, half_close: bool = True) -> bytes:
    """Send ``data``, half-close (unless told not to: a proxy may read the
    half-close as a client that left), and read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def get(target: str, host: str = "127.0.0.1") -> bytes:
    """``GET target`` with ``Connection: close``."""
    return f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
