"""The exported nginx configuration, run by a real nginx in front of real upstreams.

Each upstream is an echo server on 127.0.0.1 (see ``echo_upstream``); the
project (see ``project``) has four services with literal/templated siblings,
typed and partial segments, an enum, a prefix, per-method timeouts and a dead
upstream. One nginx serves the whole module.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from codegen.cli.app import app
from tests.conftest import free_port
from tests.export.echo_upstream import echo_servers
from tests.export.nginx_process import Nginx, check_config, nginx_binary, running_nginx
from tests.export.project import write_project

pytestmark = pytest.mark.e2e

BODY_LIMIT = 1024


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    binary = nginx_binary()
    root = tmp_path_factory.mktemp("nginx-project")
    with echo_servers("a", "b", "c") as servers:
        upstreams = {name: server.url for name, server in servers.items()}
        upstreams["c"] += "/base"
        upstreams["down"] = f"http://127.0.0.1:{free_port()}"
        write_project(root, upstreams, {"c": "/legacy"}, BODY_LIMIT)
        port = free_port()
        prefix = root / "nginx"
        (prefix / "tmp").mkdir(parents=True)
        conf = root / "nginx.conf"
        result = CliRunner().invoke(
            app,
            [
                "export",
                "nginx",
                "--out",
                str(conf),
                "--root",
                str(root),
                "--listen",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--temp-dir",
                str(prefix / "tmp"),
            ],
        )
        assert result.exit_code == 0, result.output
        checked = check_config(binary, prefix, conf)
        assert checked.returncode == 0, checked.stderr
        with running_nginx(binary, prefix, conf, port) as proc:
            yield proc


def _get(nginx: Nginx, path: str, method: str = "GET", **kwargs: Any) -> httpx.Response:
    return httpx.request(method, nginx.url + path, timeout=10, **kwargs)


def _echo(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


@pytest.mark.parametrize(
    ("method", "path", "service", "upstream_path"),
    [
        ("GET", "/items", "a", "/items"),
        ("POST", "/items", "a", "/items"),
        ("GET", "/items/search", "b", "/items/search"),  # literal beats /items/{id}
        ("GET", "/items/42", "a", "/items/42"),
        ("PATCH", "/items/42", "b", "/items/42"),  # second service on one template
        ("PUT", "/items/-7", "a", "/items/-7"),
        ("GET", "/things/42", "a", "/things/42"),  # integer before string
        ("GET", "/things/forty-two", "b", "/things/forty-two"),
        ("GET", "/files/report.pdf", "b", "/files/report.pdf"),  # partial before string
        ("GET", "/files/report", "a", "/files/report"),
        ("GET", "/kinds/a.b", "a", "/kinds/a.b"),
        ("GET", "/legacy/ping?x=1", "c", "/base/ping?x=1"),  # prefix off, base path on
        ("GET", "/items?limit=5&sort=-name", "a", "/items?limit=5&sort=-name"),
    ],
)
def test_routes_like_the_gateway(
    nginx: Nginx, method: str, path: str, service: str, upstream_path: str
) -> None:
    echo = _echo(_get(nginx, path, method))
    assert (echo["service"], echo["method"], echo["path"]) == (service, method, upstream_path)


def test_head_is_served_where_get_is(nginx: Nginx) -> None:
    response = _get(nginx, "/items/1", "HEAD")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/nope",
        "/items/abc",  # integer parameter
        "/kinds/aXb",  # the enum's '.' is literal
        "/items/42/",  # trailing slash is another path
    ],
)
def test_unknown_paths_are_404_problems(nginx: Nginx, path: str) -> None:
    # http.client sends the target as is (httpx would remove the dot segments).
    connection = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=10)
    try:
        connection.request("GET", path, headers={"X-Request-ID": "req-404"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 404, body
    assert response.getheader("content-type") == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 404
    assert problem["code"] == "route_not_found"
    assert problem["request_id"] == "req-404" == response.getheader("x-request-id")


@pytest.mark.parametrize(
    "path",
    [
        "/items/../items",  # dot segments are never routed
        "/items/%2e%2e/items",
        "/things/a%2Fb",  # nginx would decode %2F into a separator: refused
        "//items",
    ],
)
def test_non_canonical_paths_are_400_problems(nginx: Nginx, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=10)
    try:
        connection.request("GET", path, headers={"X-Request-ID": "req-400"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 400, body
    assert response.getheader("content-type") == "application/problem+json"
    problem = json.loads(body)
    assert (problem["status"], problem["code"]) == (400, "non_canonical_path")
    assert problem["request_id"] == "req-400" == response.getheader("x-request-id")


def test_wrong_method_is_405_problem_with_allow(nginx: Nginx) -> None:
    response = _get(nginx, "/items/search", "DELETE")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "method_not_allowed"
    assert problem["detail"] == "DELETE is not allowed on /items/search; allowed: GET, HEAD"
    assert problem["instance"] == "/items/search"
    many = _get(nginx, "/items/7", "POST")
    assert many.status_code == 405
    assert many.headers["allow"] == "DELETE, GET, HEAD, PATCH, PUT"


def test_request_id_is_kept_or_generated_and_forwarded(nginx: Nginx) -> None:
    given = _get(nginx, "/items", headers={"X-Request-ID": "abc-123"})
    assert _echo(given)["headers"]["x-request-id"] == "abc-123"
    assert given.headers["x-request-id"] == "abc-123"  # the upstream's own id is hidden
    for headers in ({}, {"X-Request-ID": "x" * 200}):
        response = _get(nginx, "/items", headers=headers)
        generated = response.headers["x-request-id"]
        assert len(generated) == 32 and generated != "x" * 200
        assert _echo(response)["headers"]["x-request-id"] == generated


def test_forwarding_and_hop_by_hop_headers(nginx: Nginx) -> None:
    response = _get(
        nginx,
        "/items",
        headers={
            "Host": "api.example.test",
            "X-Forwarded-For": "203.0.113.9",
            "X-Specfirst-Subject": "forged-admin",
            "X-Specfirst-Scopes": "admin",
            "TE": "trailers",
            "Keep-Alive": "timeout=100",
            "Proxy-Authorization": "Basic eDp5",
        },
    )
    seen = _echo(response)["headers"]
    assert seen["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    assert seen["x-forwarded-host"] == "api.example.test"
    assert seen["host"].startswith("127.0.0.1:")  # the service's own address
    for name in (
        "x-specfirst-subject",
        "x-specfirst-scopes",
        "te",
        "keep-alive",
        "proxy-authorization",
    ):
        assert name not in seen, name
    assert "connection" not in seen  # nginx sends Connection: "" (keepalive), i.e. none
    assert "proxy-authenticate" not in response.headers


def test_upstream_connections_are_kept_alive(nginx: Nginx) -> None:
    peers = {_echo(_get(nginx, "/items/search"))["peer"] for _ in range(5)}
    assert len(peers) == 1  # one worker, one pooled upstream connection reused


def test_per_operation_timeouts_differ_by_method(nginx: Nginx) -> None:
    started = time.monotonic()
    slow_get = _get(nginx, "/slow/1?sleep=1.5")
    elapsed = time.monotonic() - started
    assert slow_get.status_code == 504, slow_get.text
    assert elapsed < 1.4  # the 300 ms timeout, not the 30 s default
    assert slow_get.headers["content-type"] == "application/problem+json"
    assert slow_get.json()["code"] == "upstream_timeout"
    slow_post = _get(nginx, "/slow/1?sleep=1", "POST", content=b"{}")
    assert _echo(slow_post)["method"] == "POST"  # 5 s timeout on POST
    put = _get(nginx, "/items/1?sleep=2.5", "PUT", content=b"{}")
    assert put.status_code == 504  # PUT's own 2 s timeout, not GET's 30 s


def test_dead_upstream_is_a_502_problem(nginx: Nginx) -> None:
    response = _get(nginx, "/down")
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "bad_gateway"


def test_body_limit_is_a_413_problem(nginx: Nginx) -> None:
    ok = _get(nginx, "/items", "POST", content=b"x" * BODY_LIMIT)
    assert _echo(ok)["body_length"] == BODY_LIMIT
    response = _get(nginx, "/items", "POST", content=b"x" * (BODY_LIMIT + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_access_log_is_json_with_request_id(nginx: Nginx) -> None:
    _get(nginx, "/items", headers={"X-Request-ID": "logged-id-1"})
    deadline = time.monotonic() + 5
    while "logged-id-1" not in nginx.access_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    line = next(x for x in nginx.access_log.read_text().splitlines() if "logged-id-1" in x)
    record = json.loads(line)
    assert record["request_id"] == "logged-id-1" and record["status"] == 200
