"""Assertions about problem+json answers."""

from __future__ import annotations

from typing import Any


def assert_problem(response: Any, status: int, detail_part: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``status`` (and ``detail_part`` in its detail)."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"]
    if detail_part is not None:
        assert detail_part in body.get("detail", ""), body
    return body
