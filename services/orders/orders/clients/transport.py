"""One pooled ``httpx.Client`` per dependency, with timeouts and error mapping.

Failures become domain errors with a clear message, never a hang or a 500:

* connection refused / DNS / reset: :class:`DependencyUnavailable` (503);
* no answer within the timeout: :class:`DependencyTimeout` (504);
* a 5xx answer, or a body that does not match the callee's spec:
  :class:`DependencyUnavailable` (503).

Settings: ``ORDERS_DEPENDENCY_TIMEOUT`` (seconds, default 5; connecting gets
at most 2) and ``ORDERS_DEPENDENCY_TRANSPORT`` (an ``httpx`` transport that
tests use to route calls in-process; ``None`` means real HTTP).
"""

from __future__ import annotations

import functools
from typing import Any

import httpx
from django.conf import settings
from servicekit.errors import DependencyTimeout, DependencyUnavailable


@functools.cache
def _client(base_url: str, timeout: float, transport_id: int) -> httpx.Client:
    transport = getattr(settings, "ORDERS_DEPENDENCY_TRANSPORT", None)
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
        transport=transport,
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
        headers={"Accept": "application/json", "User-Agent": "specfirst-orders"},
    )


def client_for(base_url: str) -> httpx.Client:
    """The shared client for ``base_url`` (re-created when the settings change)."""
    transport = getattr(settings, "ORDERS_DEPENDENCY_TRANSPORT", None)
    timeout = float(getattr(settings, "ORDERS_DEPENDENCY_TIMEOUT", 5.0))
    return _client(base_url.rstrip("/"), timeout, id(transport))


def call(service: str, base_url: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Send one request to ``service``; transport failures become domain errors.

    ``call("catalog", "http://127.0.0.1:8001", "GET", "/products/7")`` -> the response
    (any status below 500), or :class:`DependencyUnavailable` / :class:`DependencyTimeout`.
    """
    try:
        response = client_for(base_url).request(method, path, **kwargs)
    except httpx.TimeoutException:
        raise DependencyTimeout(
            f"The {service} service did not answer {method} {path} in time."
        ) from None
    except httpx.TransportError as exc:
        raise DependencyUnavailable(
            f"The {service} service is unreachable ({type(exc).__name__})."
        ) from None
    if response.status_code >= 500:
        raise DependencyUnavailable(
            f"The {service} service failed on {method} {path} ({response.status_code})."
        )
    return response


def problem_detail(response: httpx.Response) -> str:
    """The ``detail`` of a problem answer, or its status line."""
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    return f"{response.status_code} {response.reason_phrase}"
