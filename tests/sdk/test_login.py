"""``client.login(...)`` of the generated clients, against an in-process token
endpoint (``httpx.MockTransport``): which specs get a login (the token endpoint
found by its shape), the grants on the wire, the bearer token on the operations
that take one, renewal before expiry on the client's clock, logout, and the
expiry rule of ``TokenSet`` itself."""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from tests.sdk.support import PETS_SPEC, generate, imported

# The token endpoint at a path no rule could guess, its schemas behind $refs.
LOGIN_SPEC = """
openapi: 3.1.0
info: {title: Vault, version: "1"}
components:
  securitySchemes:
    jwt: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Form:
      type: object
      properties:
        grant_type: {type: string}
        username: {type: string}
        password: {type: string}
    Tokens:
      allOf:
        - type: object
          properties:
            access_token: {type: string}
            expires_in: {type: integer}
paths:
  /v9/sessions/issue:
    post:
      operationId: issueSession
      security: []
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Form"}
      responses:
        "200":
          description: tokens
          content: {application/json: {schema: {$ref: "#/components/schemas/Tokens"}}}
  /secrets:
    get:
      operationId: listSecrets
      security: [{jwt: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array}}}}
  /keyed:
    get:
      operationId: keyed
      security: [{key: []}]
      responses:
        "204": {description: ok}
  /login:
    post:
      operationId: login
      responses:
        "204": {description: an operation that happens to be called login}
"""
TOKEN_PATH = "/api/v9/sessions/issue"
Handler = Callable[[httpx.Request], httpx.Response]


class Clock:
    """The runtime's ``time`` module, with a monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.module = SimpleNamespace(monotonic=lambda: self.now, sleep=time.sleep, time=time.time)


class TokenServer:
    """A token endpoint and a protected operation: numbered access tokens, rotating
    refresh tokens; records every request."""

    def __init__(self, expires_in: int = 900, refresh: bool = True) -> None:
        self.expires_in = expires_in
        self.refresh = refresh
        self.issued = 0
        self.requests: list[httpx.Request] = []
        self.lock = threading.Lock()
        self.refuse_refresh = False

    def forms(self) -> list[dict[str, str]]:
        return [
            {k: v[0] for k, v in parse_qs(r.content.decode()).items()}
            for r in self.requests
            if r.url.path == TOKEN_PATH
        ]

    def bearers(self) -> list[str | None]:
        secrets = [r for r in self.requests if r.url.path == "/api/secrets"]
        return [r.headers.get("Authorization") for r in secrets]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
            if request.url.path != TOKEN_PATH:
                return (
                    httpx.Response(200, json=[])
                    if "secrets" in request.url.path
                    else (httpx.Response(204))
                )
            form = parse_qs(request.content.decode())
            if self.refuse_refresh and form["grant_type"] == ["refresh_token"]:
                return httpx.Response(400, json={"error": "invalid_grant"})
            time.sleep(0.01)  # a concurrent renewal would overlap this one
            self.issued += 1
            answer: dict[str, Any] = {
                "access_token": f"access-{self.issued}",
                "token_type": "Bearer",
                "expires_in": self.expires_in,
                "scope": "read",
            }
            if self.refresh and form["grant_type"] != ["client_credentials"]:
                answer["refresh_token"] = f"refresh-{self.issued}"
            return httpx.Response(200, json=answer, headers={"Cache-Control": "no-store"})


@pytest.fixture
def sdk(write_spec: Callable[..., Path], tmp_path: Path) -> Iterator[ModuleType]:
    with imported(write_spec(LOGIN_SPEC, "vault.yaml"), tmp_path / "out") as module:
        yield module


@pytest.fixture
def clock(sdk: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(sdk._runtime, "time", found.module)
    return found


def client_for(sdk: ModuleType, server: Handler, **options: Any) -> Any:
    http = httpx.Client(base_url="http://vault.test/api", transport=httpx.MockTransport(server))
    return sdk.Client("http://vault.test/api", http_client=http, **options)


def test_the_token_endpoint_is_found_by_its_shape(sdk: ModuleType) -> None:
    assert sdk._runtime.LOGIN_PATH == "/v9/sessions/issue"
    assert "TokenSet" in sdk.__all__
    assert callable(sdk.Client.login) and callable(sdk.AsyncClient.refresh_login)
    assert callable(sdk.Client.login_2)  # the operation called login gives way


def without_login(write_spec: Callable[..., Path], tmp_path: Path, spec: str) -> None:
    files = generate(write_spec(spec, "other.yaml"), tmp_path / "other", "other_client")
    runtime = next(text for path, text in files.items() if path.endswith("_runtime.py"))
    assert "LOGIN_PATH" not in runtime and "class TokenSet" not in runtime
    client = next(text for path, text in files.items() if path.endswith("/client.py"))
    assert "def login(" not in client


@pytest.mark.parametrize(
    "spec",
    [
        PETS_SPEC,
        # the token endpoint's shape with one part missing
        LOGIN_SPEC.replace("application/x-www-form-urlencoded", "application/json"),
        LOGIN_SPEC.replace("grant_type:", "kind:"),
        LOGIN_SPEC.replace("access_token:", "token:"),
        LOGIN_SPEC.replace("/v9/sessions/issue:\n    post:", "/v9/sessions/issue:\n    put:"),
    ],
    ids=["pets", "json-body", "no-grant-type", "no-access-token", "put"],
)
def test_a_spec_without_a_token_endpoint_has_no_login(
    write_spec: Callable[..., Path], tmp_path: Path, spec: str
) -> None:
    without_login(write_spec, tmp_path, spec)


def test_password_login_then_the_bearer_goes_where_it_is_taken(sdk: ModuleType) -> None:
    server = TokenServer()
    client = client_for(sdk, server, api_key="k")
    tokens = client.login(username="ada@example.com", password="p w&d")
    assert isinstance(tokens, sdk.TokenSet)
    assert (tokens.access_token, tokens.refresh_token, tokens.expires_in) == (
        "access-1", "refresh-1", 900.0,
    )  # fmt: skip
    login_request = server.requests[0]
    assert login_request.method == "POST"
    assert login_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in login_request.headers
    assert server.forms() == [
        {"grant_type": "password", "username": "ada@example.com", "password": "p w&d"}
    ]
    client.list_secrets()
    client.keyed()
    assert server.bearers() == ["Bearer access-1"]
    keyed = server.requests[-1]
    assert keyed.headers["X-Key"] == "k" and "Authorization" not in keyed.headers


def test_client_credentials_go_in_http_basic(sdk: ModuleType) -> None:
    server = TokenServer()
    client = client_for(sdk, server)
    client.login(client_id="svc:1", client_secret="s3 cr+t", scope="read")
    (request,) = server.requests
    kind, _, value = request.headers["Authorization"].partition(" ")
    assert kind == "Basic"
    # RFC 6749 §2.3.1: id and secret form-encoded before Basic
    assert base64.b64decode(value).decode() == "svc%3A1:s3+cr%2Bt"
    assert server.forms() == [{"grant_type": "client_credentials", "scope": "read"}]


def test_renewed_before_expiry_on_the_clients_clock(sdk: ModuleType, clock: Clock) -> None:
    server = TokenServer(expires_in=900)
    client = client_for(sdk, server)
    client.login(username="ada", password="pw")
    clock.now += 869.0  # 31 s left: still good
    client.list_secrets()
    clock.now += 1.0  # 30 s left: renewed first
    client.list_secrets()
    client.list_secrets()
    assert server.bearers() == ["Bearer access-1", "Bearer access-2", "Bearer access-2"]
    renewal = server.forms()[1]
    assert renewal == {"grant_type": "refresh_token", "refresh_token": "refresh-1"}
    assert client.refresh_login().access_token == "access-3"
    assert server.forms()[2]["refresh_token"] == "refresh-2"  # the rotated one


def test_client_credentials_are_sent_again_to_renew(sdk: ModuleType, clock: Clock) -> None:
    server = TokenServer(expires_in=60)
    client = client_for(sdk, server)
    client.login(client_id="svc", client_secret="s")
    clock.now += 30.0
    client.list_secrets()
    assert server.bearers() == ["Bearer access-2"]
    assert [f["grant_type"] for f in server.forms()] == ["client_credentials"] * 2
    assert all(r.headers["Authorization"].startswith("Basic ") for r in server.requests[:2])


def test_logout_drops_the_token_and_the_configured_one_returns(sdk: ModuleType) -> None:
    server = TokenServer()
    client = client_for(sdk, server, bearer_token="configured")
    client.list_secrets()
    client.login(username="ada", password="pw")
    client.list_secrets()
    client.logout()
    assert client.tokens is None
    client.list_secrets()
    assert server.bearers() == ["Bearer configured", "Bearer access-1", "Bearer configured"]
    with pytest.raises(sdk.ClientError, match="login"):
        client.refresh_login()


def test_a_refused_renewal_ends_the_login(sdk: ModuleType, clock: Clock) -> None:
    server = TokenServer(expires_in=100)
    client = client_for(sdk, server)
    client.login(username="ada", password="pw")
    server.refuse_refresh = True
    clock.now += 90.0
    with pytest.raises(sdk.BadRequestError):
        client.list_secrets()
    assert client.tokens is None
    client.list_secrets()  # anonymous now
    assert server.bearers() == [None]


def test_a_failed_login_keeps_the_earlier_one(sdk: ModuleType) -> None:
    server = TokenServer()
    client = client_for(sdk, server)
    client.login(username="ada", password="pw")

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    other = client_for(sdk, refuse)
    with pytest.raises(sdk.AuthenticationError):
        other.login(client_id="x", client_secret="y")
    assert other.tokens is None
    assert client.tokens.access_token == "access-1"


def test_an_answer_without_an_access_token_is_unexpected(sdk: ModuleType) -> None:
    client = client_for(sdk, lambda request: httpx.Response(200, json={"token": "x"}))
    with pytest.raises(sdk.UnexpectedResponseError):
        client.login(username="ada", password="pw")
    assert client.tokens is None


def test_threads_that_meet_a_due_token_renew_it_once(sdk: ModuleType, clock: Clock) -> None:
    server = TokenServer(expires_in=60)
    client = client_for(sdk, server)
    client.login(username="ada", password="pw")
    clock.now += 45.0
    threads = [threading.Thread(target=client.list_secrets) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    # one renewal: a second use of refresh-1 would revoke the login at a real server
    assert [f["grant_type"] for f in server.forms()] == ["password", "refresh_token"]
    assert server.bearers() == ["Bearer access-2"] * 8


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"username": "ada"},
        {"password": "pw"},
        {"client_id": "svc"},
        {"client_secret": "s"},
    ],
)
def test_login_needs_a_whole_grant(sdk: ModuleType, arguments: dict[str, str]) -> None:
    server = TokenServer()
    with pytest.raises(TypeError):
        client_for(sdk, server).login(**arguments)
    assert server.requests == []


def test_async_client_logs_in_renews_and_logs_out(sdk: ModuleType, clock: Clock) -> None:
    server = TokenServer(expires_in=10)

    async def scenario() -> None:
        http = httpx.AsyncClient(
            base_url="http://vault.test/api", transport=httpx.MockTransport(server)
        )
        async with sdk.AsyncClient("http://vault.test/api", http_client=http) as client:
            await client.login(username="ada", password="pw")
            await client.list_secrets()
            clock.now += 5.0  # half of a short life left
            await asyncio.gather(*(client.list_secrets() for _ in range(4)))
            await client.logout()
            await client.list_secrets()
        await http.aclose()

    asyncio.run(scenario())
    assert server.bearers() == ["Bearer access-1", *["Bearer access-2"] * 4, None]
    assert [f["grant_type"] for f in server.forms()] == ["password", "refresh_token"]


def test_token_set_expiry_rule(sdk: ModuleType) -> None:
    token_set = sdk.TokenSet.from_payload
    long = token_set({"access_token": "a", "expires_in": 900}, 100.0)
    assert long.expires_at == 1000.0
    assert not long.refresh_due(969.9)
    assert long.refresh_due(970.0)  # the last 30 seconds
    short = token_set({"access_token": "a", "expires_in": 10}, 100.0)
    assert not short.refresh_due(104.9)
    assert short.refresh_due(105.0)  # the last half of a short life
    forever = token_set({"access_token": "a"}, 100.0)
    assert forever.expires_at is None and not forever.refresh_due(1e12)
    odd = token_set({"access_token": "a", "expires_in": True, "refresh_token": ""}, 0.0)
    assert odd.expires_in is None and odd.refresh_token is None
    assert token_set({"expires_in": 5}, 0.0) is None
    assert token_set(["access_token"], 0.0) is None
