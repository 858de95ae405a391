"""servicekit HTTP plumbing: ETags, pagination, probes, published schemas, domain errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from servicekit import errors
from servicekit.conditional import make_etag, parse_entity_tags, require_if_match
from servicekit.problems import ProblemError
from servicekit.spec import index_operation_security, load_document

factory = APIRequestFactory()


def test_etag_is_quoted_stable_and_version_sensitive() -> None:
    tag = make_etag("7d0f", 3)
    assert tag.startswith('"') and tag.endswith('"')
    assert tag == make_etag("7d0f", 3)
    assert tag != make_etag("7d0f", 4)
    assert tag != make_etag("7d10", 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"a"', ('"a"',)),
        ('"a", W/"b"', ('"a"', 'W/"b"')),
        (" * ", None),
        ("", ()),
        ('"a,b", "c"', ('"a,b"', '"c"')),  # a comma is a valid etagc
        (',, "a" ,\t"b",', ('"a"', '"b"')),  # empty list elements are allowed
        ('"a", b, "c"', ('"a"',)),  # an unquoted element ends the list
        ('"a" "b"', ('"a"',)),
        ('w/"a"', ()),  # "W/" is case-sensitive
    ],
)
def test_parse_entity_tags(value: str, expected: tuple[str, ...] | None) -> None:
    assert parse_entity_tags(value) == expected


def _check(if_match: str | None, current: str = '"abc"') -> None:
    headers = {} if if_match is None else {"If-Match": if_match}
    require_if_match(Request(factory.put("/x", headers=headers)), current)


@pytest.mark.parametrize("value", ['"abc"', '"zzz", "abc"', "*"])
def test_if_match_matches(value: str) -> None:
    _check(value)


@pytest.mark.parametrize(
    ("value", "status"), [(None, 428), ("  ", 428), ('"zzz"', 412), ('W/"abc"', 412)]
)
def test_if_match_missing_or_stale(value: str | None, status: int) -> None:
    with pytest.raises(ProblemError) as caught:
        _check(value)
    assert caught.value.status == status


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.NotFound("x"), 404),
        (errors.Conflict("x"), 409),
        (errors.Unprocessable("x"), 422),
        (errors.StaleVersion("x"), 412),
        (errors.Forbidden("x"), 403),
        (errors.DependencyUnavailable("x"), 503),
        (errors.DependencyTimeout("x"), 504),
    ],
)
def test_domain_errors_map_to_problems(error: errors.DomainError, status: int) -> None:
    problem = errors.to_problem(error)
    assert problem.status == status
    assert problem.detail == "x"
    assert ("Retry-After" in problem.headers) is (status == 503)


def test_domain_error_fields_reach_the_problem() -> None:
    problem = errors.to_problem(errors.Conflict("sold out", title="Insufficient stock"))
    assert problem.response().problem["title"] == "Insufficient stock"


def test_index_operation_security_uses_document_default() -> None:
    data = {
        "security": [{"k": []}],
        "paths": {
            "/a": {
                "get": {"operationId": "readA", "security": []},
                "post": {"operationId": "writeA"},
                "parameters": [],
            },
            "/b": {"put": {"operationId": "putB", "security": [{"o": ["s1"]}, {}]}},
        },
    }
    assert index_operation_security(data) == {
        "readA": (),
        "writeA": ((("k", ()),),),
        "putB": ((("o", ("s1",)),), ()),
    }


def test_load_document(write_spec: object) -> None:
    path: Path = write_spec(  # type: ignore[operator]
        """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              operationId: readA
              responses: {'200': {description: ok}}
        components:
          securitySchemes:
            k: {type: apiKey, in: query, name: key}
        """
    )
    document = load_document(path)
    assert document.security_schemes == {"k": {"type": "apiKey", "in": "query", "name": "key"}}
    assert document.operation_security == {"readA": ()}
    assert json.loads(document.json_bytes)["info"]["title"] == "t"


def test_load_document_rejects_non_mapping(write_spec: object) -> None:
    path: Path = write_spec("- just\n- a list\n")  # type: ignore[operator]
    with pytest.raises(ValueError, match="mapping"):
        load_document(path)


def test_healthz(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_probes_refuse_other_methods(client: Client) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_readyz_checks_the_database(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok"}


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_database(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_cursor() -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert "connection refused" in response.json()["detail"]


def test_openapi_json_is_the_source_spec(client: Client, settings: object) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    name = settings.SPECFIRST_SERVICE_NAME  # type: ignore[attr-defined]
    expected = load_document(settings.SPECFIRST_SPECS[name])  # type: ignore[attr-defined]
    assert response.json() == json.loads(expected.json_bytes)


def test_derived_schema_is_openapi(client: Client) -> None:
    response = client.get("/schema/derived.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/healthz" not in document["paths"]


def test_unknown_path_is_a_404_problem(client: Client) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
