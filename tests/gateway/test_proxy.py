"""The proxy against real processes on 127.0.0.1: a tiny upstream and the gateway.

One gateway serves three services: ``echo`` (a live upstream), ``dead``
(nothing listens) and ``flap`` (an upstream the tests stop and restart).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import shutil
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from openapi_spec_validator import validate

from codegen.core.auth.defaults import DEV_IDENTITY_PUBLIC_KEY
from codegen.core.auth.forwarded import ForwardedIdentity, IdentityVerifier
from gateway import health
from gateway.client import UpstreamPool
from tests.conftest import free_port
from tests.gateway.conftest import Proc, start_gateway, start_upstream, write_tree
from tests.gateway.specs_fixture import (
    AUDIENCE,
    DEAD_SPEC,
    ECHO_SPEC,
    FLAP_SPEC,
    ISSUER,
    SECRET,
    config_toml,
)

pytestmark = pytest.mark.e2e

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gateway")


@pytest.fixture(scope="module")
def flap_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def gateway(root: Path, upstream: Proc, flap_port: int) -> Iterator[Proc]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
    jwk.update({"kid": "k1", "alg": "RS256", "use": "sig"})
    write_tree(
        root,
        {
            "specs/echo.yaml": ECHO_SPEC,
            "specs/dead.yaml": DEAD_SPEC,
            "specs/flap.yaml": FLAP_SPEC,
            "jwks.json": json.dumps({"keys": [jwk]}),
            "specfirst.toml": config_toml(
                upstream.url, f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{flap_port}"
            ),
        },
    )
    proc = start_gateway(root)
    yield proc
    proc.stop()


@pytest.fixture
def client(gateway: Proc) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway.url, timeout=10) as http:
        yield http


def echo(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    data["header_map"] = {k: v for k, v in data["headers"]}
    return data


def token(claims: dict[str, Any] | None = None, key: Any = SECRET, alg: str = "HS256",
          headers: dict[str, Any] | None = None) -> str:  # fmt: skip
    now = int(time.time())
    body = {"sub": "alice", "aud": AUDIENCE, "iss": ISSUER, "exp": now + 300, "iat": now,
            "scope": "items:read items:write"}  # fmt: skip
    body.update(claims or {})
    return jwt.encode(body, key, algorithm=alg, headers=headers)


def raw_get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    """A GET with the request target sent exactly as given."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


# -- pass-through, headers, request id -------------------------------------------------


def test_request_and_response_pass_through(client: httpx.Client, gateway: Proc) -> None:
    response = client.get("/echo/a%252Fb%20c?x=1&y=%20", headers={"X-Custom": "v"})
    data = echo(response)
    assert (data["method"], data["raw_path"], data["query"]) == (
        "GET",
        "/echo/a%252Fb%20c",
        "x=1&y=%20",
    )
    assert data["header_map"]["x-custom"] == "v"
    assert data["header_map"]["x-forwarded-for"] == "127.0.0.1"
    assert data["header_map"]["x-forwarded-proto"] == "http"
    assert data["header_map"]["x-forwarded-host"] == f"127.0.0.1:{gateway.port}"
    assert response.headers["x-upstream"] == "test"
    assert "x-secret-hop" not in response.headers  # named in the upstream's Connection header


def test_request_id_is_generated_forwarded_and_echoed(client: httpx.Client, gateway: Proc) -> None:
    response = client.get("/echo/rid")
    generated = response.headers["x-request-id"]
    assert len(generated) == 32
    assert echo(response)["header_map"]["x-request-id"] == generated
    assert f"request_id={generated}" in gateway.output()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("abc-123_X.y:z", True), ("bad id", False), ("x" * 129, False), ("a?b", False)],
)
def test_request_id_is_validated(client: httpx.Client, sent: str, kept: bool) -> None:
    response = client.get("/echo/rid", headers={"X-Request-ID": sent})
    assert (response.headers["x-request-id"] == sent) is kept
    assert echo(response)["header_map"]["x-request-id"] == response.headers["x-request-id"]


def test_forged_identity_and_hop_by_hop_headers_are_stripped(client: httpx.Client) -> None:
    headers = {
        "X-Specfirst-Subject": "admin",
        "X-Specfirst-Scopes": "everything",
        "x-specfirst-auth-scheme": "bearer",
        "X-Specfirst-Identity": "eyJhbGciOiJub25lIn0.e30.",
        "Connection": "keep-alive, X-Drop-Me",
        "X-Drop-Me": "1",
        "Keep-Alive": "timeout=5",
        "Proxy-Authorization": "Basic Zm9vOmJhcg==",
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Host": "evil.example",
    }
    seen = echo(client.get("/echo/forged", headers=headers))["header_map"]
    for name in ("x-specfirst-subject", "x-specfirst-scopes", "x-specfirst-auth-scheme",
                 "x-specfirst-identity", "x-drop-me", "keep-alive",
                 "proxy-authorization"):  # fmt: skip
        assert name not in seen
    assert seen["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert seen["x-forwarded-host"] != "evil.example"


def test_upstream_status_and_body_pass_unchanged(client: httpx.Client) -> None:
    response = client.get("/status/418")
    assert response.status_code == 418
    assert response.json()["path"] == "/status/418"


# -- routing errors ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/nope", "/echo/a/b"])
def test_unknown_paths_are_404_problems(gateway: Proc, path: str) -> None:
    status, headers, body = raw_get(gateway.port, path)  # httpx would normalise the path
    assert status == 404
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert (problem["status"], problem["code"], problem["title"]) == (
        404,
        "route_not_found",
        "No such route",
    )
    assert problem["request_id"] == headers["x-request-id"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/echo/../status/200", "the dot segment '..' is not routed"),
        ("/echo/%2e%2e", "the dot segment '%2e%2e' is not routed"),
        ("//echo/x", "empty path segments ('//') are not routed"),
        ("/echo//x", "empty path segments ('//') are not routed"),
        ("/echo/a%zzb", "the segment 'a%zzb' has a '%' that starts no escape"),
        ("/echo/a%00", "the segment 'a%00' encodes NUL (%00)"),
        ("/echo/%C3", "the segment '%C3' encodes bytes that are not UTF-8"),
    ],
)
def test_non_canonical_paths_are_400_problems(gateway: Proc, path: str, reason: str) -> None:
    status, headers, body = raw_get(gateway.port, path)
    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert (problem["status"], problem["code"]) == (400, "non_canonical_path")
    assert problem["detail"].startswith(reason)
    assert problem["request_id"] == headers["x-request-id"]


@pytest.mark.parametrize("path", ["/echo/arn:aws:s3:::b%2Fk", "/echo/a%2fb%2Fc"])
def test_an_encoded_slash_is_forwarded_as_sent(gateway: Proc, path: str) -> None:
    status, _, body = raw_get(gateway.port, path)
    assert (status, json.loads(body)["raw_path"]) == (200, path)


def test_wrong_method_is_405_problem_with_allow(client: httpx.Client) -> None:
    response = client.delete("/echo/x")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST, PUT"
    assert response.json()["detail"] == (
        "DELETE is not allowed on /echo/{rest}; allowed: GET, HEAD, POST, PUT"
    )


# -- bodies ------------------------------------------------------------------------------


def test_large_request_body_streams_with_its_length(client: httpx.Client) -> None:
    body = bytes(range(256)) * (5 * 4096)  # 5 MiB
    data = echo(client.post("/echo/upload", content=body))
    assert data["body_size"] == len(body)
    assert data["body_sha256"] == hashlib.sha256(body).hexdigest()
    assert data["header_map"]["content-length"] == str(len(body))
    assert "transfer-encoding" not in data["header_map"]


def test_chunked_request_body_arrives_whole(client: httpx.Client) -> None:
    parts = [b"a" * 70000, b"b" * 3, b"c" * 100000]
    data = echo(client.put("/echo/chunked", content=iter(parts)))
    assert data["body_size"] == sum(map(len, parts))
    assert data["body_sha256"] == hashlib.sha256(b"".join(parts)).hexdigest()
    # buffered and sized, as nginx forwards it: a WSGI service reads no chunked body
    assert data["header_map"]["content-length"] == str(sum(map(len, parts)))
    assert "transfer-encoding" not in data["header_map"]


def test_large_chunked_response_streams_back(client: httpx.Client) -> None:
    with client.stream("GET", "/big/6000000") as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        total = sum(len(chunk) for chunk in response.iter_raw())
    assert total == 6_000_000


def test_body_over_the_limit_is_413(client: httpx.Client) -> None:
    response = client.post("/echo/too-big", content=b"x" * (8 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_chunked_body_over_the_limit_is_413(client: httpx.Client) -> None:
    parts = (b"x" * (1024 * 1024) for _ in range(9))
    response = client.post("/echo/too-big", content=parts)
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


# -- upstream failures -------------------------------------------------------------------


def test_slow_upstream_is_504_after_the_operation_timeout(client: httpx.Client) -> None:
    started = time.monotonic()
    response = client.get("/slow/3")
    elapsed = time.monotonic() - started
    assert response.status_code == 504
    assert response.json()["detail"] == "service 'echo' did not answer within 1s"
    assert 0.9 < elapsed < 2.5
    assert client.get("/slow/0.1").status_code == 200


def test_dead_upstream_is_503(client: httpx.Client) -> None:
    for method, path in (("GET", "/dead"), ("PUT", "/dead/x")):
        response = client.request(method, path)
        assert response.status_code == 503
        assert response.json()["code"] in ("upstream_unavailable", "circuit_open")


def test_flapping_upstream_opens_then_closes_the_breaker(
    client: httpx.Client, root: Path, flap_port: int
) -> None:
    codes = [client.get("/flap/x").json()["code"] for _ in range(5)]
    assert codes[:3] == ["upstream_unavailable"] * 3
    assert codes[3:] == ["circuit_open", "circuit_open"]
    opened = client.get("/flap/x")
    assert int(opened.headers["retry-after"]) >= 1
    upstream = start_upstream(root, flap_port)
    try:
        time.sleep(1.1)
        assert client.get("/flap/up").status_code == 200
        assert client.get("/flap/again").status_code == 200
    finally:
        upstream.stop()
    assert client.get("/flap/x").status_code == 503


# -- security ----------------------------------------------------------------------------


NO_SUBJECT = "the token names no subject (a non-empty 'sub' is required)"


def rs256(claims: dict[str, Any] | None = None, kid: str = "k1") -> str:
    return token(claims, key=RSA_KEY, alg="RS256", headers={"kid": kid})


@pytest.mark.parametrize(
    ("make", "detail"),
    [
        (lambda: None, "a bearer token is required"),
        (lambda: "not-a-jwt", "the token is not a well-formed JWT"),
        (
            lambda: token(key="wrong-secret-wrong-secret-wrong-secret"),
            "the token's signature is not valid",
        ),
        (lambda: token({"exp": int(time.time()) - 60}), "the token has expired"),
        (lambda: token({"nbf": int(time.time()) + 600}), "the token is not valid yet (nbf)"),
        (lambda: token({"aud": "someone-else"}), "the token's audience is not accepted"),
        (lambda: token({"iss": "https://evil.test"}), "the token's issuer is not accepted"),
        (
            lambda: jwt.encode({"sub": "a", "aud": AUDIENCE, "iss": ISSUER}, SECRET),
            "the token has no 'exp' claim",
        ),
        (lambda: rs256(kid="unknown"), "the token's signing key is not known"),
        (
            lambda: jwt.encode(
                {"aud": AUDIENCE, "iss": ISSUER, "exp": int(time.time()) + 60}, SECRET
            ),
            NO_SUBJECT,
        ),
        (lambda: token({"sub": "", "scope": "admin items:read"}), NO_SUBJECT),
        (lambda: token({"sub": "   "}), NO_SUBJECT),
        (lambda: rs256({"sub": ""}), NO_SUBJECT),
    ],
)
def test_bad_tokens_are_401_with_a_challenge(client: httpx.Client, make: Any, detail: str) -> None:
    value = make()
    response = client.get("/secure/read", headers=bearer(value) if value else {})
    assert response.status_code == 401
    assert response.json()["detail"] == detail
    assert response.headers["www-authenticate"].startswith('Bearer realm="specfirst"')


def test_alg_none_is_refused(client: httpx.Client) -> None:
    claims = {"sub": "admin", "aud": AUDIENCE, "iss": ISSUER, "exp": int(time.time()) + 60,
              "scope": "items:read"}  # fmt: skip
    unsigned = jwt.encode(claims, "", algorithm="none")
    response = client.get("/secure/read", headers=bearer(unsigned))
    assert response.status_code == 401
    assert response.json()["detail"] == "alg 'none' is not accepted"


def test_rsa_public_key_used_as_hmac_secret_is_refused(client: httpx.Client, root: Path) -> None:
    pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = jwt.utils.base64url_encode(json.dumps({"alg": "HS256", "kid": "k1"}).encode())
    payload = jwt.utils.base64url_encode(json.dumps({
        "sub": "mallory", "aud": AUDIENCE, "iss": ISSUER, "exp": int(time.time()) + 60,
        "scope": "items:read"}).encode())  # fmt: skip
    signature = jwt.utils.base64url_encode(
        hmac.new(pem, header + b"." + payload, hashlib.sha256).digest()
    )
    forged = (header + b"." + payload + b"." + signature).decode()
    response = client.get("/secure/read", headers=bearer(forged))
    assert response.status_code == 401


def forwarded(seen: dict[str, Any], path: str) -> ForwardedIdentity:
    """The identity the gateway signed for the echo service's ``GET path``."""
    assert "x-specfirst-subject" not in seen["header_map"]  # only the signed form goes up
    assert [k for k, _ in seen["headers"]].count("x-specfirst-identity") == 1
    token = seen["header_map"]["x-specfirst-identity"]
    return IdentityVerifier(DEV_IDENTITY_PUBLIC_KEY, audience="echo").verify(token, "GET", path)


def test_valid_tokens_pass_and_a_signed_identity_goes_upstream(client: httpx.Client) -> None:
    for value in (token(), rs256({"sub": "bob", "scope": None, "scp": ["items:read"]})):
        seen = echo(
            client.get("/secure/read", headers={**bearer(value), "X-Specfirst-Subject": "root"})
        )
        identity = forwarded(seen, "/secure/read")
        assert identity.subject in ("alice", "bob")
        assert "items:read" in identity.scopes
        assert identity.schemes == ("bearer",)


def test_missing_scope_is_403(client: httpx.Client) -> None:
    response = client.get("/secure/read", headers=bearer(token({"scope": "items:write"})))
    assert response.status_code == 403
    assert response.json()["detail"] == "the credentials of 'bearer' lack the scope 'items:read'"


def test_api_keys_and_requirement_logic(client: httpx.Client) -> None:
    by_key = forwarded(echo(client.get("/secure/either", headers={"X-API-Key": "k-123"})),
                       "/secure/either")  # fmt: skip
    assert (by_key.subject, by_key.scopes, by_key.schemes) == ("ci-bot", ("items:read",), ("key",))
    assert client.get("/secure/either", headers={"X-API-Key": "nope"}).status_code == 401
    challenge = client.get("/secure/either").headers["www-authenticate"]
    assert challenge == 'Bearer realm="specfirst", ApiKey realm="specfirst", header="X-API-Key"'
    assert client.get("/secure/both", headers=bearer(token())).status_code == 401
    both = client.get("/secure/both", headers={**bearer(token()), "X-API-Key": "k-123"})
    assert forwarded(echo(both), "/secure/both").schemes == ("bearer", "key")
    assert client.get("/secure/query?api_key=k-123").status_code == 200
    assert client.get("/secure/query?api_key=bad").status_code == 401
    anonymous = echo(client.get("/secure/optional"))["header_map"]
    assert "x-specfirst-subject" not in anonymous
    assert "x-specfirst-identity" not in anonymous


# -- the gateway's own endpoints ---------------------------------------------------------


def test_openapi_docs_and_assets_are_served_locally(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    validate(document)
    assert "/echo/{rest}" in document["paths"]
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "http://" not in html and "https://" not in html
        for asset in [p.split('"')[0] for p in html.split('src="')[1:]]:
            assert client.get(asset).status_code == 200
    assert client.get("/_specfirst/static/../specs").status_code == 404


def test_health_ready_and_metrics(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "routes": 14}
    ready = client.get("/readyz")  # public: ready or not, no internal URLs
    assert (ready.status_code, ready.json()) == (503, {"status": "not ready"})
    client.get("/echo/metrics")
    client.get("/slow/2")
    text = client.get("/metrics").text
    assert (
        'specfirst_gateway_requests_total{service="echo",operation="echoGet",method="GET",status="200"'
        in text
    )
    assert (
        'specfirst_gateway_upstream_errors_total{service="echo",operation="slow",method="GET",kind="timeout"'
        in text
    )
    assert (
        'specfirst_gateway_request_duration_seconds_bucket{service="echo",operation="echoGet",method="GET",le="+Inf"'
        in text
    )


def test_readiness_details_name_each_upstream(upstream: Proc) -> None:
    dead = f"http://127.0.0.1:{free_port()}"

    async def probe() -> tuple[int, bytes]:
        pool = UpstreamPool()
        try:
            return await health.readyz(pool, {"echo": upstream.url, "dead": dead}, details=True)
        finally:
            await pool.close()

    status, body = asyncio.run(probe())
    report = json.loads(body)
    assert (status, report["status"]) == (503, "not ready")
    assert report["upstreams"]["echo"] == {"url": upstream.url, "ready": True, "detail": "HTTP 200"}
    assert report["upstreams"]["dead"]["url"] == dead
    assert report["upstreams"]["dead"]["ready"] is False


def test_nothing_leaks_connections(client: httpx.Client, gateway: Proc) -> None:
    def open_fds() -> int:
        return len(os.listdir(f"/proc/{gateway.process.pid}/fd"))

    def slow(_: int) -> int:
        with httpx.Client(timeout=10) as own:
            return own.get(f"{gateway.url}/slow/3").status_code

    client.get("/echo/warm-up")
    before = open_fds()
    for path in ["/dead"] * 20 + ["/echo/x"] * 20 + ["/status/500"] * 10 + ["/big/300000"] * 5:
        client.get(path)
    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(slow, range(6))) == [504] * 6
    with client.stream("GET", "/big/5000000") as response:  # the client gives up midway
        next(response.iter_raw())
    time.sleep(2.0)  # idle upstream connections live at most 1.5 s
    assert open_fds() <= before + 1


def test_stalled_request_body_is_408(gateway: Proc) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as sock:
        sock.sendall(b"GET /slow/0 HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 408 ")
    assert b'"code":"body_timeout"' in data
    assert time.monotonic() - started < 5  # [gateway.limits] body_timeout is 1 s


def test_a_trickled_body_meets_the_whole_body_deadline(
    root: Path, gateway: Proc, tmp_path: Path
) -> None:
    own = tmp_path / "deadline"
    shutil.copytree(root, own, ignore=shutil.ignore_patterns("*.log"))
    toml = own / "specfirst.toml"
    limits = "body_timeout = 1.0\nbody_deadline = 2.0"
    toml.write_text(toml.read_text().replace("body_timeout = 1.0", limits))
    proc = start_gateway(own)
    try:
        started = time.monotonic()
        data = b""
        with socket.create_connection(("127.0.0.1", proc.port), timeout=10) as sock:
            sock.sendall(b"GET /slow/0 HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n")
            sock.settimeout(0.4)  # one byte every 0.4 s: never stalled, never done
            while time.monotonic() - started < 10:
                try:
                    sock.sendall(b"x")
                    chunk = sock.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
        elapsed = time.monotonic() - started
        assert data.startswith(b"HTTP/1.1 408 "), data[:200]
        assert b'"code":"body_deadline"' in data
        assert b"did not arrive within 2s" in data
        assert 2.0 <= elapsed < 6
    finally:
        proc.stop()
