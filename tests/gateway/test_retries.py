"""Retries (only idempotent methods, only when no response byte arrived), and
relaying a chunked answer that arrived whole."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.gateway.conftest import Proc, start, start_gateway, write_tree

pytestmark = pytest.mark.e2e

SPEC = """
openapi: 3.1.0
info: {title: flaky, version: "1"}
paths:
  /things:
    get: {operationId: listThings, responses: {'200': {description: ok}}}
    post: {operationId: createThing, responses: {'200': {description: ok}}}
  /chunked:
    get: {operationId: chunked, responses: {'200': {description: ok}}}
"""


@pytest.fixture
def flaky(tmp_path: Path) -> Iterator[Proc]:
    port = free_port()
    script = Path(__file__).parent / "flaky_upstream.py"
    proc = start([sys.executable, str(script), str(port)], port, tmp_path / "flaky.log")
    yield proc
    proc.stop()


def test_get_is_retried_and_post_is_not(tmp_path: Path, flaky: Proc) -> None:
    write_tree(
        tmp_path,
        {
            "specs/flaky.yaml": SPEC,
            "specfirst.toml": f'[services.flaky]\nupstream = "{flaky.url}"\n',
        },
    )
    gateway = start_gateway(tmp_path)
    try:
        with httpx.Client(base_url=gateway.url) as client:
            first = client.get("/things")  # connection 1 closes, the retry gets connection 2
            assert (first.status_code, first.text) == (200, "2")
            refused = client.post("/things", content=b"{}")  # connection 3 closes: no retry
            assert refused.status_code == 502
            assert refused.json()["code"] == "bad_gateway"
            after = client.post("/things", content=b"{}")  # connection 4 answers
            assert (after.status_code, after.text) == (200, "4")
            # a small chunked answer that arrived whole is relayed with its length
            whole = client.get("/chunked")
            assert (whole.text, whole.headers["content-length"]) == ("hello world", "11")
            assert "transfer-encoding" not in whole.headers
    finally:
        gateway.stop()
