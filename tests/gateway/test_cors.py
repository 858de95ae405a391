"""CORS at the gateway: configuration, preflights answered at the edge, headers on answers.

The ASGI tests call the gateway application in-process; the one upstream is a
port nobody listens on, so a preflight that reached a service would be a 503.
tests/browser/test_cors_browser.py drives the same rules from a real browser.
"""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from codegen.core.project import ConfigError
from gateway.app import GatewayApp, create_app
from gateway.config import DEFAULT_EXPOSE_HEADERS, load_config
from gateway.cors import header_list, with_vary_origin
from tests.conftest import free_port

APP = "https://app.example"
SPEC = """
openapi: 3.1.0
info: {title: items, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-API-Key}
  headers:
    ETag: {schema: {type: string}}
  parameters:
    IfMatch: {name: If-Match, in: header, required: true, schema: {type: string}}
paths:
  /items:
    get: {operationId: listItems, responses: {'200': {description: ok}}}
    post:
      operationId: createItem
      security: [{key: []}]
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {'201': {description: created}}
  /items/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getItem
      parameters: [{name: X-Trace, in: header, schema: {type: string}}]
      responses:
        '200': {description: ok, headers: {ETag: {$ref: '#/components/headers/ETag'}}}
    patch:
      operationId: updateItem
      security: [{bearer: []}]
      parameters: [{$ref: '#/components/parameters/IfMatch'}]
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
"""


def project(root: Path, cors: str) -> Path:
    (root / "specs").mkdir(parents=True, exist_ok=True)
    (root / "specs" / "items.yaml").write_text(textwrap.dedent(SPEC).lstrip())
    toml = f"""
    [services.items]
    upstream = "http://127.0.0.1:{free_port()}"
    [gateway]
    connect_timeout = 0.5
    retries = 0
    [gateway.cors]
    {textwrap.dedent(cors).strip()}
    """
    (root / "specfirst.toml").write_text(textwrap.dedent(toml).lstrip())
    return root


Answer = tuple[int, dict[str, str], bytes]


def call(app: GatewayApp, method: str, path: str, headers: dict[str, str]) -> Answer:
    """One request through the ASGI app: (status, headers by lower-case name, body)."""
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(),
        "query_string": b"", "scheme": "http", "http_version": "1.1",
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def run() -> None:
        await app.proxy.start()
        try:
            await app(scope, receive, send)
        finally:
            await app.proxy.stop()

    asyncio.run(run())
    start = sent[0]
    names = [k.decode() for k, _ in start["headers"]]
    assert len(names) == len(set(names)), f"a header is repeated: {names}"
    out = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], out, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Any]:
    def make(cors: str = f'allow_origins = ["{APP}"]') -> GatewayApp:
        app = create_app(load_config(project(tmp_path, cors)), watch=False)
        app.state = app.load()
        return app

    yield make


def preflight(app: GatewayApp, path: str, method: str, origin: str = APP, **extra: str) -> Answer:
    headers = {"Origin": origin, "Access-Control-Request-Method": method, **extra}
    return call(app, "OPTIONS", path, headers)


def test_preflight_is_answered_at_the_edge_from_the_routing_table(make_app: Any) -> None:
    app = make_app()
    status, headers, body = preflight(
        app, "/items/7", "PATCH", **{"Access-Control-Request-Headers": "authorization,if-match"}
    )
    assert status == 204 and body == b""  # the upstream is down: nothing reached it
    assert headers["access-control-allow-origin"] == APP
    assert headers["access-control-allow-methods"] == "GET, HEAD, PATCH"
    # Header parameters, bearer -> Authorization, a body -> Content-Type, the GET's ETag
    # -> If-None-Match (the merged spec declares its 304).
    assert headers["access-control-allow-headers"] == (
        "Authorization, Content-Type, If-Match, If-None-Match, X-Trace"
    )
    assert headers["access-control-max-age"] == "600"
    assert headers["vary"] == (
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
    )
    assert "access-control-allow-credentials" not in headers
    assert "content-length" not in headers  # a 204 has none (RFC 9110 8.6)
    _, listing, _ = preflight(app, "/items", "POST")
    assert listing["access-control-allow-methods"] == "GET, HEAD, POST"
    assert listing["access-control-allow-headers"] == "Content-Type, X-API-Key"


def test_configured_credentials_max_age_and_extra_headers(make_app: Any) -> None:
    app = make_app(f"""
        allow_origins = ["{APP}", "http://127.0.0.1:3000"]
        allow_credentials = true
        max_age = 60
        allow_headers = ["X-Request-ID"]
        expose_headers = ["ETag"]
    """)
    _, headers, _ = preflight(app, "/items", "GET", origin="http://127.0.0.1:3000")
    assert headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    assert headers["access-control-allow-credentials"] == "true"
    assert headers["access-control-max-age"] == "60"
    assert headers["access-control-allow-headers"] == "Content-Type, X-API-Key, X-Request-ID"
    status, answer, _ = call(app, "GET", "/nope", {"Origin": APP})
    assert status == 404
    assert answer["access-control-allow-credentials"] == "true"
    assert answer["access-control-expose-headers"] == "ETag"


def test_a_disallowed_origin_gets_no_cors_headers(make_app: Any) -> None:
    app = make_app()
    status, headers, body = preflight(app, "/items/7", "PATCH", origin="https://evil.example")
    assert status == 403
    assert orjson.loads(body)["code"] == "cors_origin_not_allowed"
    assert not [name for name in headers if name.startswith("access-control-")]
    assert headers["vary"].startswith("Origin")
    status, headers, _ = call(app, "GET", "/nope", {"Origin": "https://evil.example"})
    assert status == 404
    assert not [name for name in headers if name.startswith("access-control-")]
    assert headers["vary"] == "Origin"


def test_every_answer_to_an_allowed_origin_carries_cors_headers(make_app: Any) -> None:
    app = make_app()
    for path, expected in (("/openapi.json", 200), ("/nope", 404), ("/items/7", 503)):
        status, headers, _ = call(app, "GET", path, {"Origin": APP})
        assert status == expected, path
        assert headers["access-control-allow-origin"] == APP
        assert (
            headers["access-control-expose-headers"] == header_list(DEFAULT_EXPOSE_HEADERS).decode()
        )
        assert headers["vary"] == "Origin"
    _, without_origin, _ = call(app, "GET", "/nope", {})
    assert without_origin["vary"] == "Origin"  # the answer depends on the origin
    assert "access-control-allow-origin" not in without_origin


def test_preflight_of_unknown_paths_and_the_gateways_own_pages(make_app: Any) -> None:
    app = make_app()
    status, headers, body = preflight(app, "/nope", "GET")
    assert status == 404 and orjson.loads(body)["code"] == "route_not_found"
    assert headers["access-control-allow-origin"] == APP  # the page can read why
    status, headers, _ = preflight(app, "/items/a/../7", "GET")
    assert status == 400
    status, headers, _ = preflight(app, "/openapi.json", "GET")
    assert status == 204 and headers["access-control-allow-methods"] == "GET, HEAD"


def test_options_without_a_preflight_and_cors_off_are_routed_as_before(make_app: Any) -> None:
    app = make_app()
    status, headers, _ = call(app, "OPTIONS", "/items", {"Origin": APP})
    assert status == 405 and headers["allow"] == "GET, HEAD, POST"
    off = make_app("")
    status, headers, _ = preflight(off, "/items", "POST")
    assert status == 405
    assert "vary" not in headers and "access-control-allow-origin" not in headers


@pytest.mark.parametrize(
    ("vary", "merged"),
    [([], b"Origin"), ([b"Accept"], b"Accept, Origin"), ([b"accept, origin"], b"accept, origin"),
     ([b"Accept", b"Cookie"], b"Accept, Cookie, Origin"), ([b"*"], b"*")],
)  # fmt: skip
def test_vary_origin_is_merged_into_the_upstreams_vary(vary: list[bytes], merged: bytes) -> None:
    headers = [(b"content-type", b"x"), *((b"vary", v) for v in vary)]
    assert with_vary_origin(headers) == [(b"content-type", b"x"), (b"vary", merged)]


@pytest.mark.parametrize(
    ("cors", "message"),
    [
        ('allow_origins = ["https://app.example/"]', "is not an origin"),
        ('allow_origins = ["app.example"]', "is not an origin"),
        ('allow_origins = ["HTTPS://APP.EXAMPLE"]', "is not an origin"),
        ('allow_origins = "https://app.example"', "must be a list of strings"),
        ('allow_origins = ["*"]\nallow_credentials = true', "any web site"),
        ('allow_origin = ["*"]', "unknown settings ['allow_origin']"),
        ('allow_origins = ["*"]\nmax_age = 1.5', "whole number"),
        ('allow_origins = ["*"]\nexpose_headers = ["a b"]', "not header names"),
    ],
)
def test_bad_cors_configuration_is_refused(tmp_path: Path, cors: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(project(tmp_path, cors))
    assert message in str(caught.value)


def test_cors_is_off_by_default(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, ""))
    assert not config.cors.enabled
    origins = load_config(project(tmp_path, 'allow_origins = ["*", "http://[::1]:8080"]'))
    assert origins.cors.allow_origins == ("*", "http://[::1]:8080")
