"""RFC 9457 ``application/problem+json`` responses made by the gateway itself.

Every error the gateway produces (it never passes through an upstream's
own errors: those go to the client unchanged) is a problem document with
``type`` ``about:blank``, the HTTP reason phrase as ``title``, a ``detail``
saying what happened, the request path as ``instance``, a stable ``code``
and the request id.

Example::

    problem_body(404, "no route matches GET /nope", "/nope", "route_not_found", request_id="abc")
    → b'{"type":"about:blank","title":"Not Found","status":404,
         "detail":"no route matches GET /nope","instance":"/nope",
         "code":"route_not_found","request_id":"abc"}'
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http import HTTPStatus
from typing import Any

import orjson

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Header = tuple[bytes, bytes]

PROBLEM_TYPE = b"application/problem+json"


def problem_body(
    status: int,
    detail: str,
    instance: str,
    code: str,
    *,
    request_id: str | None = None,
    **extra: Any,
) -> bytes:
    """The JSON body of one problem (see the module docstring)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return orjson.dumps(body)


async def send_problem(
    send: Send,
    status: int,
    detail: str,
    instance: str,
    code: str,
    *,
    request_id: str | None = None,
    headers: Iterable[Header] = (),
    **extra: Any,
) -> None:
    """Send a whole problem response through ASGI ``send``."""
    body = problem_body(status, detail, instance, code, request_id=request_id, **extra)
    out: list[Header] = [
        (b"content-type", PROBLEM_TYPE),
        (b"content-length", str(len(body)).encode()),
        *headers,
    ]
    if request_id:
        out.append((b"x-request-id", request_id.encode()))
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": body})
