"""The corked server transport: one socket write per loop iteration."""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.corking import FLUSH_AT, CorkedTransport


class FakeTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 1) if name == "peername" else default


def test_writes_of_one_iteration_become_one() -> None:
    async def scenario() -> FakeTransport:
        real = FakeTransport()
        corked = CorkedTransport(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        corked.write(b"HTTP/1.1 200 OK\r\n\r\n")
        corked.write(b"body")
        assert real.writes == []
        await asyncio.sleep(0)
        assert real.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
        corked.write(b"x" * FLUSH_AT)  # big writes go out at once
        assert real.writes[-1] == b"x" * FLUSH_AT
        corked.write(b"last")
        corked.close()  # close flushes first
        assert (real.writes[-1], real.closed) == (b"last", True)
        assert corked.get_extra_info("peername") == ("127.0.0.1", 1)
        return real

    assert len(asyncio.run(scenario()).writes) == 3
