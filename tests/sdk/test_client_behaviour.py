"""The generated clients' behaviour, against an in-process HTTP handler
(``httpx.MockTransport``): requests on the wire, typed results, typed errors,
retries, credentials, request ids and pagination."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.sdk.support import PAGES_SPEC, PETS_SPEC, imported

Handler = Callable[[httpx.Request], httpx.Response]
PROBLEM = {"content-type": "application/problem+json"}


@pytest.fixture
def sdk(write_spec: Callable[..., Path], tmp_path: Path) -> Iterator[ModuleType]:
    with imported(write_spec(PETS_SPEC, "pets.yaml"), tmp_path / "out") as module:
        yield module


def make_client(sdk: ModuleType, handler: Handler, **options: Any) -> Any:
    config = sdk.ClientConfig(
        **{"base_url": "http://api.test/v2", "backoff_factor": 0.0, **options}
    )
    http = httpx.Client(base_url=config.base_url, transport=httpx.MockTransport(handler))
    return sdk.Client(config=config, http_client=http)


def pet(pet_id: int = 1, name: str = "Rex") -> dict[str, Any]:
    return {"id": pet_id, "name": name, "kind": "dog"}


def test_typed_result_and_wire_format(sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pet(7))

    result = make_client(sdk, handler).get_pet(7, x_trace="t-1", request_id="req-1")
    assert isinstance(result, sdk.models.PetResponse)
    assert (result.id, result.name) == (7, "Rex")
    request = seen[0]
    assert (request.method, request.url.path) == ("GET", "/v2/pets/7")
    assert request.headers["X-Trace"] == "t-1"
    assert request.headers["X-Request-ID"] == "req-1"
    assert "X-Key" not in request.headers  # getPet needs no credentials


def test_union_return_picks_by_status(sdk: ModuleType) -> None:
    client = make_client(sdk, lambda r: httpx.Response(202, text="wait"))
    assert client.get_pet(1) == "wait"


def test_query_serialisation_and_body(sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(201, json=pet(3, "Tom"))
        return httpx.Response(200, json={"items": [], "total": 0})

    client = make_client(sdk, handler, api_key="k-1")
    client.list_pets(limit=5, kind="cat", tags=["a", "b"])
    assert seen[0].url.query == b"limit=5&kind=cat&tags=a&tags=b"
    body = sdk.models.PetRequest(name="Tom", secret="s3")
    created = client.create_pet(body=body)
    assert created.name == "Tom"
    post = seen[1]
    assert json.loads(post.content) == {"name": "Tom", "secret": "s3"}
    assert post.headers["Content-Type"] == "application/json"
    assert post.headers["X-Key"] == "k-1"
    assert post.headers["Idempotency-Key"]  # generated: the POST may be retried


def test_not_found_is_a_typed_error_with_problem_details(sdk: ModuleType) -> None:
    problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no pet 9"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json=problem, headers={**PROBLEM, "X-Request-ID": "r-9"})

    with pytest.raises(sdk.NotFoundError) as caught:
        make_client(sdk, handler).get_pet(9)
    error = caught.value
    assert isinstance(error, sdk.ApiError)
    assert (error.status_code, error.problem.detail, error.request_id) == (404, "no pet 9", "r-9")
    assert str(error) == "404 Not Found: GET /v2/pets/9: no pet 9"


def test_validation_error_carries_the_invalid_parts(sdk: ModuleType) -> None:
    problem = {
        "title": "Invalid",
        "status": 422,
        "errors": [{"pointer": "/name", "detail": "too short"}],
    }
    client = make_client(sdk, lambda r: httpx.Response(422, json=problem, headers=PROBLEM))
    with pytest.raises(sdk.ValidationError) as caught:
        client.create_pet(body=sdk.models.PetRequest(name="x", secret="s"))
    assert isinstance(caught.value, sdk.UnprocessableEntityError)
    assert [(e.pointer, e.detail) for e in caught.value.errors] == [("/name", "too short")]


def test_errors_expose_every_member_of_the_problem_profile(sdk: ModuleType) -> None:
    problem = {
        "type": "/_specfirst/problems#invalid_request",
        "title": "Invalid request",
        "status": 400,
        "detail": "The request is invalid (3 error(s)).",
        "instance": "/v2/pets",
        "code": "invalid_request",
        "request_id": "r-7",
        "errors": [
            {"pointer": "/name", "detail": "too short"},
            {"parameter": "limit", "in": "query", "detail": "not an integer"},
            {"header": "If-Match", "pointer": "/0", "detail": "not an ETag"},
            "a server's own shape",
        ],
    }
    client = make_client(sdk, lambda r: httpx.Response(400, json=problem, headers=PROBLEM))
    with pytest.raises(sdk.BadRequestError) as caught:
        client.create_pet(body=sdk.models.PetRequest(name="x", secret="s"))
    error = caught.value
    assert (error.code, error.type, error.title, error.status, error.instance) == (
        "invalid_request", "/_specfirst/problems#invalid_request", "Invalid request", 400,
        "/v2/pets",
    )  # fmt: skip
    assert error.detail == "The request is invalid (3 error(s))."
    assert error.request_id == "r-7"  # from the body: the response has no X-Request-ID
    assert [(e.pointer, e.parameter, e.in_, e.header, e.detail) for e in error.errors] == [
        ("/name", None, None, None, "too short"),
        (None, "limit", "query", None, "not an integer"),
        ("/0", None, None, "If-Match", "not an ETag"),
    ]
    assert isinstance(error.errors[0], sdk.ProblemErrorEntry)


def test_an_error_without_a_problem_body_still_has_its_status(sdk: ModuleType) -> None:
    client = make_client(sdk, lambda r: httpx.Response(502, text="bad gateway"))
    with pytest.raises(sdk.ServerError) as caught:
        client.get_pet(1)
    error = caught.value
    assert (error.status, error.code, error.type, error.errors) == (502, None, None, [])


def test_idempotent_calls_are_retried(sdk: ModuleType) -> None:
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.headers["X-Request-ID"])
        if len(attempts) < 3:
            return httpx.Response(503, json={"title": "down", "status": 503}, headers=PROBLEM)
        return httpx.Response(200, json=pet())

    assert make_client(sdk, handler).get_pet(1).name == "Rex"
    assert len(attempts) == 3 and len(set(attempts)) == 1  # one request id for all attempts


def test_retries_stop_after_max_retries(sdk: ModuleType) -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        return httpx.Response(503, json={"title": "down", "status": 503}, headers=PROBLEM)

    with pytest.raises(sdk.ServiceUnavailableError):
        make_client(sdk, handler, max_retries=1).get_pet(1)
    assert len(attempts) == 2


def test_post_without_idempotency_key_is_not_retried(sdk: ModuleType) -> None:
    keys: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers.get("Idempotency-Key"))
        return httpx.Response(503, json={"title": "down", "status": 503}, headers=PROBLEM)

    body = sdk.models.PetRequest(name="Tom", secret="s")
    with pytest.raises(sdk.ServerError):
        make_client(sdk, handler, auto_idempotency_key=False).create_pet(body=body)
    assert keys == [None]
    keys.clear()
    with pytest.raises(sdk.ServerError):
        make_client(sdk, handler).create_pet(body=body)
    assert len(keys) == 3 and len(set(keys)) == 1 and keys[0]  # same key on every attempt


def test_connection_failure_is_a_typed_error(sdk: ModuleType) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(sdk.ApiConnectionError):
        make_client(sdk, handler).get_pet(1)
    assert len(calls) == 3  # GET: retried twice


def test_offset_pagination_walks_every_page(sdk: ModuleType) -> None:
    pets = [pet(i, f"p{i}") for i in range(5)]
    offsets: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", "0"))
        offsets.append(request.url.params["offset"])
        return httpx.Response(200, json={"items": pets[offset : offset + 2], "total": len(pets)})

    names = [p.name for p in make_client(sdk, handler).iter_list_pets(limit=2)]
    assert names == ["p0", "p1", "p2", "p3", "p4"]
    assert offsets == ["0", "2", "4"]


def test_cursor_pagination_follows_next_cursor(sdk: ModuleType) -> None:
    pages = {None: (["a", "b"], "c1"), "c1": (["c"], "c2"), "c2": (["d"], None)}

    def handler(request: httpx.Request) -> httpx.Response:
        data, following = pages[request.url.params.get("cursor")]
        return httpx.Response(200, json={"data": data, "next_cursor": following})

    assert list(make_client(sdk, handler).iter_list_events()) == ["a", "b", "c", "d"]


def test_async_client(sdk: ModuleType) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/pets"):
            offset = int(request.url.params.get("offset", "0"))
            items = [pet(offset)] if offset < 3 else []
            return httpx.Response(200, json={"items": items, "total": 3})
        return httpx.Response(404, json={"title": "Not Found", "status": 404}, headers=PROBLEM)

    async def scenario() -> list[int]:
        http = httpx.AsyncClient(base_url="http://api.test", transport=httpx.MockTransport(handler))
        async with sdk.AsyncClient("http://api.test", http_client=http) as client:
            with pytest.raises(sdk.NotFoundError):
                await client.get_pet(5)
            ids = [item.id async for item in client.iter_list_pets()]
        await http.aclose()
        return ids

    assert asyncio.run(scenario()) == [0, 1, 2]


@pytest.fixture
def books(write_spec: Callable[..., Path], tmp_path: Path) -> Iterator[ModuleType]:
    with imported(write_spec(PAGES_SPEC, "books.yaml"), tmp_path / "books") as module:
        yield module


def test_page_number_pagination_and_query_api_key(books: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        page = int(request.url.params["page"])
        results = [{"title": f"b{page}-{i}"} for i in range(2)]
        return httpx.Response(200, json={"results": results, "total_pages": 3})

    client = make_client(books, handler, api_key="secret")
    titles = [book.title for book in client.iter_list_books(per_page=2)]
    assert titles == ["b1-0", "b1-1", "b2-0", "b2-1", "b3-0", "b3-1"]
    assert [r.url.params["page"] for r in seen] == ["1", "2", "3"]
    assert all(r.url.params["key"] == "secret" for r in seen)


def test_basic_auth_and_operation_without_operation_id(books: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(200, text="fine")

    client = make_client(books, handler, basic_auth=("ann", "pw"))
    assert client.delete_book("978-3") is None
    assert seen[0].headers["Authorization"] == "Basic YW5uOnB3"
    assert seen[0].url.path == "/v2/books/978-3"
    health = [name for name in dir(client) if "health" in name]
    assert len(health) == 1
    assert getattr(client, health[0])() == "fine"
    assert "Authorization" not in seen[1].headers


def test_retry_after_and_backoff_delays(sdk: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    delays: list[float] = []
    monkeypatch.setattr(sdk._runtime.time, "sleep", delays.append)
    statuses = iter([(429, {"Retry-After": "3"}), (502, {}), (200, {})])

    def handler(request: httpx.Request) -> httpx.Response:
        status, headers = next(statuses)
        return httpx.Response(status, json=pet() if status == 200 else {}, headers=headers)

    client = make_client(sdk, handler, backoff_factor=1.0, max_backoff=2.5)
    assert client.get_pet(1).name == "Rex"
    # Retry-After (3 s) capped at max_backoff; then 1 * 2**1 s with jitter in [0.5, 1]
    assert delays[0] == 2.5
    assert 1.0 <= delays[1] <= 2.0


BEARER_SPEC = """
openapi: 3.1.0
info: {title: Me, version: "1"}
components:
  securitySchemes:
    jwt: {type: http, scheme: bearer}
paths:
  /me:
    get:
      operationId: whoAmI
      security: [{jwt: []}]
      responses:
        "200": {description: me, content: {application/json: {schema: {type: string}}}}
"""


def test_bearer_token_may_be_a_callable(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    seen: list[str] = []
    tokens = iter(["t1", "t2"])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json="ann")

    with imported(write_spec(BEARER_SPEC, "me.yaml"), tmp_path / "me") as me:
        http = httpx.Client(base_url="http://me.test", transport=httpx.MockTransport(handler))
        client = me.Client("http://me.test", bearer_token=lambda: next(tokens), http_client=http)
        assert (client.who_am_i(), client.who_am_i()) == ("ann", "ann")
    assert seen == ["Bearer t1", "Bearer t2"]  # asked for before every request
