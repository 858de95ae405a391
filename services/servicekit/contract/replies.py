"""Turning a handler's :class:`Reply` into an HTTP response, by the contract.

The status must be declared (exact, range, or ``default``); the body is
written by the serializer declared for that status and media type; a
response declared without content must carry no data. Anything else is a
:class:`ContractError`: the server broke its own contract.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase

from servicekit.contract.bodies import is_json
from servicekit.contract.errors import ContractError
from servicekit.contract.jsonvalues import to_json
from servicekit.contract.operations import Operation, Reply


def as_reply(operation: Operation, result: Any) -> Reply[int, Any]:
    if isinstance(result, Reply):
        return result
    return Reply(operation.default_success(), result)


def render_reply(operation: Operation, result: Any, accept: str = "") -> HttpResponseBase:
    """``Reply(200, {"id": 1})`` -> ``HttpResponse(b'{"id": 1}', status=200)``."""
    if isinstance(result, HttpResponseBase):
        operation.response_for(result.status_code)
        return result
    reply = as_reply(operation, result)
    spec = operation.response_for(reply.status)
    sent = {name.lower() for name in reply.headers}
    missing = [h.name for h in spec.headers if h.required and h.name.lower() not in sent]
    if missing:
        raise ContractError(
            f"{operation.operation_id}: response {spec.status} lacks required header(s) "
            f"{', '.join(missing)}"
        )
    media = spec.media(reply.content_type, accept)
    if media is None:
        if reply.data is not None:
            raise ContractError(
                f"{operation.operation_id}: response {spec.status} declares no content, "
                f"but the handler returned data"
            )
        return HttpResponse(status=reply.status, headers=dict(reply.headers))
    content_type = media.media_type
    if is_json(content_type):
        data = reply.data
        if media.field is not None and data is not None:
            data = media.field.to_representation(data)
        body: bytes | str = json.dumps(to_json(data), ensure_ascii=False)
        if "*" in content_type:
            content_type = "application/json"
    elif isinstance(reply.data, bytes | str):
        body = reply.data
    elif reply.data is None:
        body = b""
    else:
        raise ContractError(
            f"{operation.operation_id}: {content_type} responses need bytes or str data, "
            f"got {type(reply.data).__name__}"
        )
    if "*" in content_type:
        content_type = "application/octet-stream"
    return HttpResponse(
        body, status=reply.status, content_type=content_type, headers=dict(reply.headers)
    )
