"""Conditional reads on a real catalog endpoint (``GET /products/{id}``): RFC 9110 section 13."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.http import http_date, parse_http_date

from tests.services.conftest import API_KEY, Api, Seed

NOT_MODIFIED_HEADERS = {"etag", "last-modified", "cache-control", "vary", "expires", "date"}


def read(api: Api, seed: Seed, **headers: str) -> Any:
    return api.call("GET", f"/products/{seed.mug_id}", headers=headers or None)


@pytest.fixture
def current(api: Api, catalog_seed: Seed) -> Any:
    response = read(api, catalog_seed)
    assert response.status_code == 200
    return response


def assert_not_modified(response: Any, etag: str) -> None:
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Content-Type" not in response
    # No Content-Length: 0 misstating the 200's length (RFC 9110 8.6).
    assert "Content-Length" not in response
    # Only the headers RFC 9110 15.4.5 lists, plus the request id every answer carries.
    assert {name.lower() for name in response.headers} - NOT_MODIFIED_HEADERS == {"x-request-id"}


def weak(tag: str) -> str:
    return f"W/{tag}"


@pytest.mark.parametrize(
    "if_none_match",
    [
        pytest.param(lambda tag: tag, id="same tag"),
        pytest.param(weak, id="weak form of the tag (weak comparison)"),
        pytest.param(lambda tag: f'"other", {tag}', id="in a list"),
        pytest.param(lambda tag: f'W/"other",{weak(tag)} ,', id="weak in a list"),
        pytest.param(lambda tag: "*", id="any"),
    ],
)
def test_if_none_match_answers_304(
    api: Api, catalog_seed: Seed, current: Any, if_none_match: Any
) -> None:
    tag = current["ETag"]
    response = read(api, catalog_seed, **{"If-None-Match": if_none_match(tag)})
    assert_not_modified(response, tag)
    assert response["Last-Modified"] == current["Last-Modified"]


@pytest.mark.parametrize("if_none_match", ['"other"', 'W/"other", "else"', "", "garbage"])
def test_if_none_match_without_the_tag_answers_200(
    api: Api, catalog_seed: Seed, current: Any, if_none_match: str
) -> None:
    response = read(api, catalog_seed, **{"If-None-Match": if_none_match})
    assert response.status_code == 200
    assert response.json() == current.json()


def test_head_is_conditional_too(api: Api, catalog_seed: Seed, current: Any) -> None:
    path = f"/products/{catalog_seed.mug_id}"
    response = api.client.head(path, headers={"If-None-Match": current["ETag"]})
    assert_not_modified(response, current["ETag"])


def test_a_change_makes_the_old_tag_stale(api: Api, catalog_seed: Seed, current: Any) -> None:
    path = f"/products/{catalog_seed.mug_id}"
    changed = api.call("PATCH", path, {"name": "Renamed"}, {**API_KEY, "If-Match": current["ETag"]})
    assert changed.status_code == 200
    response = read(api, catalog_seed, **{"If-None-Match": current["ETag"]})
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    assert response["ETag"] == changed["ETag"] != current["ETag"]


def test_if_modified_since(api: Api, catalog_seed: Seed, current: Any) -> None:
    modified = parse_http_date(current["Last-Modified"])
    assert http_date(modified) == current["Last-Modified"]
    same = read(api, catalog_seed, **{"If-Modified-Since": current["Last-Modified"]})
    assert_not_modified(same, current["ETag"])
    later = read(api, catalog_seed, **{"If-Modified-Since": http_date(modified + 60)})
    assert later.status_code == 304
    earlier = read(api, catalog_seed, **{"If-Modified-Since": http_date(modified - 1)})
    assert earlier.status_code == 200 and earlier.json() == current.json()


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"If-Modified-Since": "yesterday"}, id="not an HTTP-date: ignored"),
        pytest.param(
            {"If-None-Match": '"other"', "If-Modified-Since": "Fri, 31 Dec 9999 23:59:59 GMT"},
            id="ignored when If-None-Match is present",
        ),
    ],
)
def test_if_modified_since_ignored(
    api: Api, catalog_seed: Seed, current: Any, headers: dict[str, str]
) -> None:
    assert read(api, catalog_seed, **headers).status_code == 200


def test_only_reads_with_a_validator_are_conditional(
    api: Api, catalog_seed: Seed, current: Any
) -> None:
    # The product list sends no ETag: a conditional read is answered in full.
    listing = api.call("GET", "/products", headers={"If-None-Match": "*"})
    assert listing.status_code == 200 and "ETag" not in listing
    # A change is never answered 304, whatever If-None-Match says.
    path = f"/products/{catalog_seed.mug_id}"
    headers = {**API_KEY, "If-Match": current["ETag"], "If-None-Match": current["ETag"]}
    assert api.call("PATCH", path, {"name": "Changed"}, headers).status_code == 200
