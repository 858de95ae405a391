"""CORS from a real browser: a page on another origin calls the gateway in headless Chromium.

Processes, all on 127.0.0.1: the echo upstream of the gateway tests, a gateway
whose ``[gateway.cors]`` allows the page's origin, and a static page server on
a third port. Chromium opens the page from the allowed origin
(``http://127.0.0.1:<page port>``) and from one that is not
(``http://localhost:<page port>``, another host and so another origin), and
calls the gateway with ``fetch``:

* a ``PUT`` with a JSON body and a custom header needs a preflight: from the
  allowed origin it succeeds, and the exposed ``X-Request-ID`` is readable while
  an unexposed upstream header is not;
* the same call to a service whose upstream is down answers the gateway's 503
  problem, readable by the page: the preflight before it was answered at the edge;
* from the other origin both the preflighted call and a simple ``GET`` fail as
  the browser's CORS check requires (``TypeError: Failed to fetch``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.test_docs_try_it_out import CHROMIUM, CHROMIUM_ARGS, _require_chromium
from tests.conftest import free_port
from tests.gateway.conftest import Proc, start, start_gateway, start_upstream, write_tree

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SPEC = """
openapi: 3.1.0
info: {{title: {name}, version: "1"}}
paths:
  /{name}/{{rest}}:
    parameters: [{{name: rest, in: path, required: true, schema: {{type: string}}}}]
    get: {{operationId: {name}Get, responses: {{'200': {{description: ok}}}}}}
    put:
      operationId: {name}Put
      parameters: [{{name: X-Trace, in: header, schema: {{type: string}}}}]
      requestBody: {{content: {{application/json: {{schema: {{type: object}}}}}}}}
      responses: {{'200': {{description: ok}}}}
"""

# Runs in the page: one fetch, reported as data (a CORS refusal is a TypeError).
CALL = """async ([url, method]) => {
  const init = method === "PUT"
    ? {method, headers: {"Content-Type": "application/json", "X-Trace": "t-1"},
       body: JSON.stringify({hello: "gateway"})}
    : {method};
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    return {status: response.status, body: text,
            requestId: response.headers.get("X-Request-ID"),
            upstream: response.headers.get("X-Upstream")};
  } catch (error) {
    return {error: String(error)};
  }
}"""


@pytest.fixture
def system(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """(gateway URL, page port) with the page's 127.0.0.1 origin allowed."""
    page_port = free_port()
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<!doctype html><title>client</title>")
    procs: list[Proc] = []
    try:
        upstream = start_upstream(tmp_path)
        procs.append(upstream)
        write_tree(tmp_path / "root", {
            "specs/echo.yaml": SPEC.format(name="echo"),
            "specs/gone.yaml": SPEC.format(name="gone"),
            "specfirst.toml": f"""
                [services.echo]
                upstream = "{upstream.url}"
                [services.gone]
                upstream = "http://127.0.0.1:{free_port()}"
                [gateway]
                connect_timeout = 1.0
                [gateway.cors]
                allow_origins = ["http://127.0.0.1:{page_port}"]
            """,
        })  # fmt: skip
        procs.append(start_gateway(tmp_path / "root"))
        server = [sys.executable, "-m", "http.server", str(page_port), "--bind", "127.0.0.1",
                  "--directory", str(tmp_path / "page")]  # fmt: skip
        procs.append(start(server, page_port, tmp_path / "page.log", probe="/index.html"))
        yield procs[1].url, page_port
    finally:
        for proc in reversed(procs):
            proc.stop()


def test_a_page_on_another_origin_calls_the_gateway(system: tuple[str, int]) -> None:
    _require_chromium()
    gateway, page_port = system
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()

            def fetch(origin: str, path: str, method: str) -> dict[str, Any]:
                page.goto(f"{origin}/index.html")
                result: dict[str, Any] = page.evaluate(CALL, [gateway + path, method])
                return result

            allowed = f"http://127.0.0.1:{page_port}"
            echoed = fetch(allowed, "/echo/x", "PUT")
            assert echoed.get("status") == 200, echoed
            assert json.loads(echoed["body"])["method"] == "PUT"
            assert echoed["requestId"]  # exposed by default
            assert echoed["upstream"] is None  # not exposed: the browser hides it
            gone = fetch(allowed, "/gone/x", "PUT")
            assert gone.get("status") == 503, gone  # preflight answered at the edge
            assert json.loads(gone["body"])["status"] == 503

            other = f"http://localhost:{page_port}"
            for method in ("PUT", "GET"):
                refused = fetch(other, "/echo/x", method)
                assert refused == {"error": "TypeError: Failed to fetch"}, (method, refused)
        finally:
            browser.close()
