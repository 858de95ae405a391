"""Writing replies: status lookup, media choice by Accept, contract errors."""

from __future__ import annotations

import json

import pytest
from servicekit.contract import ContractError, Reply
from servicekit.contract import fields as f
from servicekit.contract.operations import (
    Operation,
    ResponseMedia,
    ResponseSpec,
    accepted,
    media_matches,
)
from servicekit.contract.replies import render_reply

EXPORT = Operation(
    operation_id="export",
    python_name="export",
    method="get",
    path="/export",
    responses=(
        ResponseSpec(
            "200",
            content=(
                ResponseMedia("application/json", f.Array(items=f.String())),
                ResponseMedia("text/csv", f.String()),
            ),
        ),
        ResponseSpec("4XX", content=(ResponseMedia("application/problem+json", None),)),
        ResponseSpec("default"),
    ),
)


def test_accept_header_ranking() -> None:
    assert accepted("text/csv;q=0.5, application/json, */*;q=0") == ["application/json", "text/csv"]
    assert media_matches("text/*", "text/csv")
    assert media_matches("*/*", "image/png")
    assert not media_matches("text/*", "application/json")


@pytest.mark.parametrize(
    ("accept", "data", "content_type", "body"),
    [
        ("", ["a"], "application/json", b'["a"]'),
        ("text/csv", "a,b\n", "text/csv", b"a,b\n"),
        ("text/*;q=0.9, application/json;q=0.1", "x", "text/csv", b"x"),
        ("image/png", ["a"], "application/json", b'["a"]'),  # nothing acceptable: the default
    ],
)
def test_media_follows_accept(accept: str, data: object, content_type: str, body: bytes) -> None:
    response = render_reply(EXPORT, Reply(200, data), accept)
    assert response["Content-Type"] == content_type
    assert response.content == body


def test_status_lookup_uses_ranges_then_default() -> None:
    assert EXPORT.response_for(404).status == "4XX"
    assert EXPORT.response_for(503).status == "default"
    response = render_reply(EXPORT, Reply(409, {"title": "x"}))
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content) == {"title": "x"}


def test_bare_data_needs_a_single_success_status() -> None:
    assert render_reply(EXPORT, ["a"]).status_code == 200
    two = Operation("two", "two", "get", "/", responses=(ResponseSpec("200"), ResponseSpec("201")))
    with pytest.raises(ContractError, match="declares 2 success codes"):
        render_reply(two, {"a": 1})


def test_content_type_must_be_declared_and_no_content_means_no_data() -> None:
    with pytest.raises(ContractError, match="does not declare text/html"):
        render_reply(EXPORT, Reply(200, "<p>", content_type="text/html"))
    with pytest.raises(ContractError, match="declares no content"):
        render_reply(EXPORT, Reply(500, {"oops": 1}))
