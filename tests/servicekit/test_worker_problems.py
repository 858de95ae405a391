"""gunicorn's own refusals (before Django runs) are problems of the profile with a
request id, echoed as ``X-Request-ID``: the caller's when gunicorn read the head."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen.core.limits import DEFAULT_LIMITS
from codegen.core.problems.schema import problem_violation
from tests.conftest import free_port
from tests.e2e.system import Service, service_environment, start_service, wait_ready

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The catalog service as ``specfirst up`` runs it (gunicorn, ProblemThreadWorker)."""
    workdir: Path = tmp_path_factory.mktemp("worker")
    port = free_port()
    env = service_environment(
        {"catalog": port, "customers": free_port(), "orders": free_port()},
        {"catalog": f"sqlite:///{workdir / 'catalog.sqlite3'}"},
    )
    service = start_service("catalog", port, env, workdir / "catalog.log")
    try:
        wait_ready(service, time.monotonic() + 90)
        yield service
    finally:
        service.stop()


def raw_exchange(service: Service, data: bytes) -> tuple[int, dict[str, str], dict[str, object]]:
    """Send raw bytes; the answer's status, headers (lower-cased names) and JSON body."""
    port = int(service.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, json.loads(body)


BAD_CHUNK = (
    b"POST /categories HTTP/1.1\r\nHost: svc\r\nX-Request-ID: worker-chunk-1\r\n"
    b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
)


def test_a_refusal_after_the_head_carries_the_callers_request_id(catalog: Service) -> None:
    status, headers, body = raw_exchange(catalog, BAD_CHUNK)
    assert (status, body["code"], body["instance"]) == (400, "malformed_request", "/categories")
    assert body["request_id"] == headers["x-request-id"] == "worker-chunk-1"
    assert body["title"] == "Malformed request"  # the catalogue's, as the gateway's
    assert problem_violation(body) is None, body


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"GET /products HTTP/1.1\r\nHost: svc\r\nX-Request-ID: lost\r\nNo colon\r\n\r\n", 400,
         "malformed_request"),
        (f"GET /products?q={'a' * DEFAULT_LIMITS.request_line} HTTP/1.1\r\nHost: svc\r\n\r\n"
         .encode(), 414, "uri_too_long"),
    ],
    ids=["malformed-head", "long-request-line"],
)  # fmt: skip
def test_a_refused_head_gets_a_new_request_id_echoed_in_the_header(
    catalog: Service, data: bytes, status: int, code: str
) -> None:
    answer_status, headers, body = raw_exchange(catalog, data)
    assert (answer_status, body["code"]) == (status, code)
    assert body["request_id"] == headers["x-request-id"]
    assert len(body["request_id"]) == 32  # gunicorn had no header to read it from
    assert problem_violation(body) is None, body
