"""Small pieces of the hot path: circuit breaker, metrics registry, header rules, problems."""

from __future__ import annotations

import json

from gateway.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from gateway.headers import response_headers, upstream_headers
from gateway.metrics import MetricsRegistry
from gateway.problems import problem_body


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_probes_and_closes() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=3, reset=10.0, clock=clock)
    for _ in range(2):
        breaker.failure()
    assert (breaker.state, breaker.allow()) == (CLOSED, True)
    breaker.success()  # consecutive failures only
    for _ in range(3):
        breaker.failure()
    assert (breaker.state, breaker.allow(), breaker.retry_after()) == (OPEN, False, 10)
    clock.now = 10.0
    assert breaker.allow()  # the probe
    assert breaker.state == HALF_OPEN
    assert not breaker.allow()  # only one probe at a time
    breaker.failure()
    assert (breaker.state, breaker.allow()) == (OPEN, False)
    clock.now = 20.5
    assert breaker.allow()
    breaker.success()
    assert (breaker.state, breaker.allow(), breaker.allow()) == (CLOSED, True, True)


def test_breaker_probe_without_verdict_is_released() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=1, reset=1.0, clock=clock)
    breaker.failure()
    clock.now = 2.0
    assert breaker.allow()
    breaker.release_probe()
    assert breaker.allow()


def test_metrics_render_prometheus_text() -> None:
    registry = MetricsRegistry()
    route = registry.route("orders", 'get"Order', "GET")
    route.observe(200, 0.003)
    route.observe(200, 0.2)
    route.observe(504, 31.0)
    route.upstream_error("timeout")
    assert registry.route("orders", 'get"Order', "GET") is route
    text = registry.render().decode()
    labels = 'service="orders",operation="get\\"Order",method="GET"'
    assert f'specfirst_gateway_requests_total{{{labels},status="200",pid=' in text
    assert f'specfirst_gateway_request_duration_seconds_bucket{{{labels},le="0.005",pid=' in text
    lines = {line.rsplit(" ", 1)[0].split(",pid=")[0]: line.rsplit(" ", 1)[1]
             for line in text.splitlines() if not line.startswith("#")}  # fmt: skip
    assert lines[f'specfirst_gateway_request_duration_seconds_bucket{{{labels},le="0.005"'] == "1"
    assert lines[f'specfirst_gateway_request_duration_seconds_bucket{{{labels},le="0.25"'] == "2"
    assert lines[f'specfirst_gateway_request_duration_seconds_bucket{{{labels},le="+Inf"'] == "3"
    assert lines[f'specfirst_gateway_upstream_errors_total{{{labels},kind="timeout"'] == "1"


def test_upstream_headers_rules() -> None:
    headers, request_id = upstream_headers(
        [
            (b"host", b"api.example"),
            (b"connection", b"x-hop, keep-alive"),
            (b"x-hop", b"1"),
            (b"te", b"trailers"),
            (b"expect", b"100-continue"),
            (b"x-specfirst-subject", b"admin"),
            (b"x-forwarded-for", b"10.0.0.1"),
            (b"x-forwarded-proto", b"https"),
            (b"x-request-id", b"abc"),
            (b"accept", b"*/*"),
        ],
        "192.0.2.7",
        "http",
    )
    assert request_id == "abc"
    assert headers == [
        (b"accept", b"*/*"),
        (b"x-forwarded-for", b"10.0.0.1, 192.0.2.7"),
        (b"x-forwarded-proto", b"http"),
        (b"x-forwarded-host", b"api.example"),
        (b"x-request-id", b"abc"),
    ]


def test_response_headers_drop_hop_by_hop_and_add_request_id() -> None:
    out = response_headers(
        [(b"Content-Type", b"a/b"), (b"Connection", b"X-Secret"), (b"x-secret", b"1"),
         (b"Transfer-Encoding", b"chunked"), (b"X-Request-ID", b"theirs")],
        b"ours",
    )  # fmt: skip
    assert out == [(b"content-type", b"a/b"), (b"x-request-id", b"ours")]


def test_problem_body_is_rfc9457() -> None:
    body = json.loads(problem_body(405, "no", "/x", "method_not_allowed", request_id="r1"))
    assert body == {
        "type": "/_specfirst/problems#method_not_allowed",
        "title": "Method Not Allowed",
        "status": 405,
        "detail": "no",
        "instance": "/x",
        "code": "method_not_allowed",
        "request_id": "r1",
    }
