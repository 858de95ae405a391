"""servicekit.wsgi.ChunkedBodies: a chunked body reaches Django with its length."""

from __future__ import annotations

import io
import json
from typing import Any

from servicekit.wsgi import ChunkedBodies


def run(environ: dict[str, Any], limit: int = 10) -> tuple[str, dict[str, Any], bytes]:
    seen: dict[str, Any] = {}

    def app(env: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(env, body=env["wsgi.input"].read())
        start_response("200 OK", [])
        return [b"ok"]

    statuses: list[str] = []
    answer = ChunkedBodies(app, limit)(environ, lambda status, headers: statuses.append(status))
    return statuses[0], seen, b"".join(answer)


def test_a_chunked_body_gets_a_content_length() -> None:
    status, seen, _ = run({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(b"12345")})
    assert status == "200 OK"
    assert (seen["CONTENT_LENGTH"], seen["body"]) == ("5", b"12345")
    assert "HTTP_TRANSFER_ENCODING" not in seen


def test_a_sized_body_is_left_alone() -> None:
    stream = io.BytesIO(b"12")
    _, seen, _ = run({"CONTENT_LENGTH": "2", "wsgi.input": stream})
    assert seen["wsgi.input"] is stream


def test_a_chunked_body_past_the_limit_is_a_413_problem() -> None:
    environ = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(b"x" * 11),
               "PATH_INFO": "/upload"}  # fmt: skip
    status, seen, body = run(environ)
    assert status == "413 Content Too Large" and not seen
    problem = json.loads(body)
    assert (problem["status"], problem["code"], problem["instance"]) == (
        413, "body_too_large", "/upload",
    )  # fmt: skip
