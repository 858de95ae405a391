"""The requests whose answers docs/problems.md shows, and how they are recorded.

Each request carries its own ``X-Request-ID``, so the answer (which echoes it
as ``request_id``) is the same on every run: the recorded file can be compared
with what a running system answers now (``test_docs_show_what_the_system_answers``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from codegen.core.auth.defaults import DEV_API_KEY
from tests.conftest import REPO_ROOT
from tests.problems.system import ProblemSystem

RECORDED = REPO_ROOT / "docs" / "problem-examples.json"
DOC = REPO_ROOT / "docs" / "problems.md"
SHOWN_HEADERS = ("content-type", "allow", "x-request-id")


@dataclass(frozen=True)
class Request:
    title: str
    via: str  # "gateway" or "<name> service"
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


REQUESTS = (
    Request("No route", "gateway", "GET", "/nope", {"X-Request-ID": "docs-route"}),
    Request("Wrong method", "gateway", "DELETE", "/categories", {"X-Request-ID": "docs-method"}),
    Request(
        "Invalid body, answered by a service",
        "gateway",
        "POST",
        "/categories",
        {"X-Request-ID": "docs-body", "X-API-Key": DEV_API_KEY},
        {"name": "", "slug": "Not A Slug"},
    ),
    Request(
        "Invalid query parameter",
        "catalog service",
        "GET",
        "/products?limit=0",
        {"X-Request-ID": "docs-query"},
    ),
    Request(
        "Unknown resource",
        "catalog service",
        "GET",
        "/products/0b7e2f1c-5d4a-4c1e-9a57-6a3e0f9c2b11",
        {"X-Request-ID": "docs-missing"},
    ),
)


def exchange(system: ProblemSystem, request: Request) -> dict[str, Any]:
    """Send ``request`` and return the exchange as docs/problem-examples.json holds it."""
    response = httpx.request(
        request.method,
        system.base_url(request.via) + request.path,
        headers=request.headers,
        json=request.body,
        timeout=30,
    )
    shown = {name: response.headers[name] for name in SHOWN_HEADERS if name in response.headers}
    return {
        "title": request.title,
        "via": request.via,
        "request": {
            "method": request.method,
            "path": request.path,
            "headers": request.headers,
            "body": request.body,
        },
        "response": {"status": response.status_code, "headers": shown, "body": response.json()},
    }


def recorded() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(RECORDED.read_text(encoding="utf-8"))
    return data


def write_recorded(exchanges: list[dict[str, Any]]) -> None:
    text = json.dumps(exchanges, indent=2, ensure_ascii=False) + "\n"
    RECORDED.write_text(text, encoding="utf-8")
