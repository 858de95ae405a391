"""A scripted HTTP/1.1 upstream for retry tests: ``python flaky_upstream.py PORT``.

Connections are numbered from 1; odd ones are closed right after the request
head arrives (no response byte), even ones get ``200`` with the connection
number as body and ``Connection: close``. ``GET /readyz`` is always answered,
on its own connection, without counting; so is ``GET /chunked``, with a small
chunked body written together with its head in one write.
"""

from __future__ import annotations

import asyncio
import sys

counter = [0]  # connections counted so far


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    if head.startswith(b"GET /chunked "):
        writer.write(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )
        await writer.drain()
        writer.close()
        return
    if not head.startswith(b"GET /readyz "):
        counter[0] += 1
        if counter[0] % 2:
            writer.close()
            return
    body = str(counter[0]).encode()
    writer.write(
        b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)
    )
    await writer.drain()
    writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
