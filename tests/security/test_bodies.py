"""Request bodies as attackers and unusual clients send them (issue 13, items 2 and 3):
deep JSON, chunked transfer coding, chunked bodies past the limit. Through the gateway
and straight at a service (gunicorn), each answer exact, a problem where it refuses."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest

from codegen.core.limits import DEFAULT_LIMITS
from tests.security.shop import API_KEY, created, problem
from tests.security.system import EdgeSystem

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

DOORS = ["gateway", "service"]


def door_url(edge: EdgeSystem, door: str) -> str:
    return edge.gateway.url if door == "gateway" else edge.service_url("catalog")


def chunks(data: bytes, size: int = 4096) -> Iterator[bytes]:
    """``data`` as an iterator: httpx sends it with ``Transfer-Encoding: chunked``."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("opener", [b"[", b'{"a":'])
def test_deep_json_is_a_400_problem_not_a_500(edge: EdgeSystem, door: str, opener: bytes) -> None:
    headers = {**API_KEY, "content-type": "application/json"}
    response = httpx.post(
        door_url(edge, door) + "/categories", content=opener * 100_000, headers=headers, timeout=30
    )
    body = problem(response, 400)
    depth = DEFAULT_LIMITS.json_depth
    detail = f"The body nests JSON arrays and objects deeper than {depth} levels."
    assert body["errors"] == [{"pointer": "", "detail": detail}]


@pytest.mark.parametrize("door", DOORS)
def test_a_chunked_body_reaches_the_handler(edge: EdgeSystem, door: str) -> None:
    slug = f"chunked-{uuid.uuid4().hex[:8]}"
    data = json.dumps({"name": "Chunked", "slug": slug}).encode()
    headers = {**API_KEY, "content-type": "application/json"}
    response = httpx.post(
        door_url(edge, door) + "/categories", content=chunks(data, 7), headers=headers, timeout=30
    )
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert created(response)["slug"] == slug


@pytest.mark.parametrize("door", DOORS)
def test_a_chunked_body_past_the_limit_is_413(edge: EdgeSystem, door: str) -> None:
    data = b"[" + b"1," * (6 * 1024 * 1024) + b"1]"  # 12 MiB, over the 10 MiB limit
    headers = {**API_KEY, "content-type": "application/json"}
    response = httpx.post(
        door_url(edge, door) + "/categories", content=chunks(data, 65536), headers=headers,
        timeout=30,
    )  # fmt: skip
    assert problem(response, 413, "body_too_large")["detail"].endswith(
        f"exceeds the limit of {DEFAULT_LIMITS.body_limit} bytes"
        + ("" if door == "gateway" else ".")
    )
