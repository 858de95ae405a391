"""servicekit.contract.surrogates: lone UTF-16 surrogates are a 400 problem, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from servicekit.contract.surrogates import lone_surrogate

from tests.services.tokens import bearer


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (rb'{"a": "\ud8b7x"}', "ud8b7"),  # high surrogate alone
        (rb'{"a": "\udc00"}', "udc00"),  # low surrogate alone
        (rb'{"a": "\ud83d\ude00"}', None),  # a valid pair (an emoji)
        (rb'{"a": "\\ud8b7"}', None),  # an escaped backslash, then text "ud8b7"
        (rb'{"a": "\\\ud8b7"}', "ud8b7"),  # an escaped backslash, then a real escape
        (rb'{"a": "\u0041"}', None),
        (b"{}", None),
    ],
)
def test_lone_surrogate(raw: bytes, expected: str | None) -> None:
    assert lone_surrogate(raw) == expected


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_body_is_a_400_problem(client: Client) -> None:
    body = '{"email": "a@b.dev", "name": "\\ud8b7x", "password": "secretsecret1"}'
    response = client.post(
        "/customers",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer("admin-user", "admin")["Authorization"],
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error == {
        "pointer": "",
        "detail": "The body is not valid JSON text: it escapes a lone UTF-16 surrogate (\\ud8b7).",
    }
