"""RFC 9457 ``application/problem+json`` responses made by the gateway itself.

Every error the gateway produces (it never rewrites an upstream's own errors:
those go to the client unchanged) is a problem of specfirst's profile
(:mod:`codegen.core.problems`, the same builder the services use): ``type``
``/_specfirst/problems#<code>``, the catalogue's ``title``, a ``detail`` saying
what happened, the request path as ``instance``, the stable ``code`` and the
request id (a new one when the caller has none, so body and ``x-request-id``
always agree).

Example::

    problem_body(404, "no route matches GET /nope", "/nope", "route_not_found", request_id="abc")
    → b'{"type":"/_specfirst/problems#route_not_found","title":"No such route","status":404,
         "detail":"no route matches GET /nope","instance":"/nope",
         "code":"route_not_found","request_id":"abc"}'
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

import orjson

from codegen.core.problems import problem
from gateway.headers import new_request_id

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
    """The JSON body of one problem (see the module docstring); ``errors`` and
    other extension members are passed through ``extra``."""
    rid = request_id or new_request_id()
    document = problem(code, detail, status=status, instance=instance, request_id=rid, **extra)
    return orjson.dumps(document)


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
    rid = request_id or new_request_id()
    body = problem_body(status, detail, instance, code, request_id=rid, **extra)
    out: list[Header] = [
        (b"content-type", PROBLEM_TYPE),
        (b"content-length", str(len(body)).encode()),
        *headers,
        (b"x-request-id", rid.encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": body})
