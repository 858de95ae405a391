"""/metrics of a gateway with several workers: one answer, summed over them."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from gateway.metrics import MetricsRegistry
from tests.gateway.conftest import Proc, start_gateway, write_tree

SPEC = """
openapi: 3.1.0
info: {title: echo, version: "1"}
paths:
  /echo/{rest}:
    get:
      operationId: echoGet
      parameters: [{name: rest, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"""
SERIES = 'specfirst_gateway_requests_total{service="echo",operation="echoGet",method="GET",'


def values(text: str) -> dict[str, float]:
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line and not line.startswith("#")
    }


def test_snapshots_add_up_without_a_pid_label() -> None:
    one, two, total = MetricsRegistry(), MetricsRegistry(), MetricsRegistry()
    one.route("echo", "echoGet", "GET").observe(200, 0.002)
    two.route("echo", "echoGet", "GET").observe(200, 0.2)
    two.route("echo", "echoGet", "GET").observe(504, 31.0)
    two.route("echo", "echoGet", "GET").upstream_error("timeout")
    for registry in (one, two):
        total.absorb(registry.snapshot())
    figures = values(total.render(per_process=False).decode())
    assert figures[SERIES + 'status="200"}'] == 2
    assert figures[SERIES + 'status="504"}'] == 1
    histogram = 'specfirst_gateway_request_duration_seconds_bucket{service="echo",'
    histogram += 'operation="echoGet",method="GET",le='
    assert [figures[histogram + f'"{le}"}}'] for le in ("0.0025", "0.25", "+Inf")] == [1, 2, 3]
    assert not [name for name in figures if "pid=" in name]


@pytest.mark.e2e
def test_two_workers_answer_one_sum(tmp_path: Path, upstream: Proc) -> None:
    write_tree(tmp_path, {
        "specs/echo.yaml": SPEC,
        "specfirst.toml": f'[services.echo]\nupstream = "{upstream.url}"\n',
    })  # fmt: skip
    gateway = start_gateway(tmp_path, workers=2)
    try:
        no_reuse = httpx.Limits(max_keepalive_connections=0)  # each request may meet either
        with httpx.Client(base_url=gateway.url, limits=no_reuse) as client:
            assert {client.get(f"/echo/{n}").status_code for n in range(60)} == {200}
            time.sleep(1.5)  # every worker has written its snapshot since
            scrapes = [values(client.get("/metrics").text) for _ in range(6)]
    finally:
        gateway.stop()
    for figures in scrapes:  # whichever worker answers, the same sum
        assert figures["specfirst_gateway_workers"] == 2
        assert figures[SERIES + 'status="200"}'] == 60
