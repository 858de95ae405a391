"""A threaded HTTP/1.1 echo server on 127.0.0.1, standing in for a service.

It answers every request with JSON naming the server (``service``), the
method, the raw request target, the headers it received (lower-cased) and
the body length. ``?sleep=SECONDS`` delays the answer (for timeouts). Every
response also carries headers a proxy must not pass on unchanged
(``X-Request-ID: from-upstream``, ``Proxy-Authenticate``) so tests can check
the proxy replaces or drops them.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class EchoServer:
    name: str
    server: ThreadingHTTPServer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


def _handler(name: str) -> type[BaseHTTPRequestHandler]:
    class Echo(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            query = parse_qs(urlsplit(self.path).query)
            if "sleep" in query:
                time.sleep(float(query["sleep"][0]))
            payload = json.dumps(
                {
                    "service": name,
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body_length": len(body),
                    "peer": self.client_address[1],  # the proxy's port: same = reused
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("X-Request-ID", "from-upstream")
            self.send_header("Proxy-Authenticate", "Basic")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

    return Echo


@contextmanager
def echo_servers(*names: str) -> Iterator[dict[str, EchoServer]]:
    """One running echo server per name; all shut down on exit."""
    servers: dict[str, EchoServer] = {}
    threads: list[threading.Thread] = []
    try:
        for name in names:
            httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(name))
            httpd.daemon_threads = True
            thread = threading.Thread(target=httpd.serve_forever, daemon=True)
            thread.start()
            servers[name] = EchoServer(name, httpd)
            threads.append(thread)
        yield servers
    finally:
        for server in servers.values():
            server.server.shutdown()
            server.server.server_close()
        for thread in threads:
            thread.join(timeout=5)
