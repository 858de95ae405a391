"""Choosing and writing the mock answer for one request.

The response is, in order: the one ``Prefer: code=NNN`` names (exact code,
then its range such as ``4XX``, then ``default``); else the lowest declared
2xx (``2XX`` answers 200, a lone ``default`` answers 200); else the lowest
declared code. Its body is the example ``Prefer: example=NAME`` names, else
the first example of the media type, else data generated from the schema
(:mod:`codegen.core.synth`), seeded by ``--seed`` and the request itself, so the same
request answers the same bytes. An example its schema rejects is replaced by
generated data, with one warning. A preference nothing declared can honour
raises :class:`PreferenceError` (the server answers 400 problem+json).

``Prefer: code=404, example=missing`` -> the 404 response's ``missing`` example.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.core.openapi import response_key
from codegen.core.synth import Policy, Unsatisfiable, synthesize
from codegen.core.validator import validation_error
from codegen.designer.mock.catalog import Example, Header, Media, Operation, Response

logger = logging.getLogger("specfirst.mock")

WILDCARD_MEDIA = {"*/*": "application/json", "text/*": "text/plain"}


class PreferenceError(ValueError):
    """A ``Prefer`` header asks for a response or example the spec does not declare."""


class CannotMock(ValueError):
    """Nothing valid can be answered: no response is declared, or the response
    schema is unsatisfiable (the server answers 501 problem+json)."""


@dataclass(frozen=True, slots=True)
class MockRequest:
    method: str
    path: str  # the concrete request path, e.g. /orders/7
    query: str = ""
    body: bytes = b""
    prefer: str = ""
    accept: str = ""
    path_params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MockAnswer:
    status: int
    headers: dict[str, str]
    media_type: str | None = None
    body: bytes = b""
    data: Any = None  # the JSON value of a JSON body


def parse_prefer(header: str) -> dict[str, str]:
    """``"code=404, example=gone"`` -> ``{"code": "404", "example": "gone"}``."""
    found: dict[str, str] = {}
    for part in header.replace(";", ",").split(","):
        key, sep, value = part.strip().partition("=")
        if sep:
            found[key.strip().lower()] = value.strip().strip('"')
    return found


def is_json(media_type: str) -> bool:
    base = media_type.split(";", maxsplit=1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def status_code(key: str) -> int:
    """``"201"`` -> 201, ``"4XX"`` -> 400, ``"default"`` -> 200."""
    if key.isdigit():
        return int(key)
    if key.endswith("XX") and key[0].isdigit():
        return int(key[0]) * 100
    return 200


def default_response(operation: Operation) -> Response | None:
    """The lowest 2xx, else ``2XX``, else ``default``, else the lowest code."""
    responses = operation.responses
    exact = sorted((k for k in responses if k.isdigit()), key=int)
    for key in [k for k in exact if k.startswith("2")] + ["2XX", "default"] + exact:
        if key in responses:
            return responses[key]
    return next(iter(responses.values()), None)


def response_for_code(operation: Operation, code: int) -> Response | None:
    key = response_key(code, operation.responses)
    return None if key is None else operation.responses[key]


def request_seed(seed: int, request: MockRequest, salt: str) -> int:
    text = (
        "\x00".join([str(seed), request.method, request.path, request.query, salt]).encode()
        + request.body
    )
    return int.from_bytes(hashlib.sha256(text).digest()[:6], "big")


class Responder:
    """Answers requests for the operations of one spec (see the module docstring)."""

    def __init__(self, operations: list[Operation], *, seed: int = 0) -> None:
        self.operations = {(op.method, op.path): op for op in operations}
        self.seed = seed
        self.warned: set[tuple[str, ...]] = set()

    def choose(self, operation: Operation, prefer: Mapping[str, str]) -> tuple[int, Response]:
        code = prefer.get("code")
        if code is not None:
            if not code.isdigit() or not 100 <= int(code) <= 599:
                raise PreferenceError(f"Prefer: code={code} is not an HTTP status code.")
            found = response_for_code(operation, int(code))
            if found is None:
                raise PreferenceError(
                    f"Prefer: code={code}: {operation.method.upper()} {operation.path} "
                    f"declares only {', '.join(operation.responses) or 'no responses'}."
                )
            return int(code), found
        name = prefer.get("example")
        first = default_response(operation)
        if first is None:
            raise CannotMock(
                f"{operation.method.upper()} {operation.path} declares no response to mock."
            )
        if name is not None:
            for response in [first, *operation.responses.values()]:
                if any(e.name == name for m in response.media for e in m.examples):
                    return status_code(response.status), response
            raise PreferenceError(self._unknown_example(operation, name))
        return status_code(first.status), first

    @staticmethod
    def _unknown_example(operation: Operation, name: str) -> str:
        names = sorted(
            {e.name for r in operation.responses.values() for m in r.media for e in m.examples}
        )
        listed = ", ".join(names) if names else "none"
        return (
            f"Prefer: example={name}: no response declares an example of that name "
            f"(declared: {listed})."
        )

    def answer(self, operation: Operation, request: MockRequest) -> MockAnswer:
        prefer = parse_prefer(request.prefer)
        status, response = self.choose(operation, prefer)
        return self.render(operation, request, status, response, example=prefer.get("example"))

    def render(
        self,
        operation: Operation,
        request: MockRequest,
        status: int,
        response: Response,
        *,
        example: str | None = None,
        data: Any = None,
    ) -> MockAnswer:
        """The answer with ``response``; ``data`` (when given and valid) is its body."""
        headers = self.headers(operation, request, response)
        media = pick_media(response, request.accept)
        if media is None:
            return MockAnswer(status, headers)
        if data is None or (media.schema is not None and validation_error(media.schema, data)):
            data = self.body(operation, request, (status, response, media), example)
        return encode(status, headers, media, data)

    def body(
        self,
        operation: Operation,
        request: MockRequest,
        chosen_response: tuple[int, Response, Media],
        name: str | None,
    ) -> Any:
        status, response, media = chosen_response
        chosen = _example(media, name)
        if chosen is not None and chosen.problem is None:
            return chosen.value
        if chosen is not None:
            self.warn_once(operation, response, media, chosen)
        if media.schema is None:
            return {} if is_json(media.media_type) else ""
        salt = f"{response.status}|{media.media_type}"
        data = self.generated(operation, media.schema, request_seed(self.seed, request, salt))
        return with_status(data, status, media)

    def generated(self, operation: Operation, schema: Mapping[str, Any] | bool, seed: int) -> Any:
        try:
            return synthesize(schema, Policy(seed=seed))
        except Unsatisfiable as exc:
            raise CannotMock(
                f"{operation.method.upper()} {operation.path}: no data satisfies the response "
                f"schema ({exc}); see {operation.location}"
            ) from None

    def headers(
        self, operation: Operation, request: MockRequest, response: Response
    ) -> dict[str, str]:
        out: dict[str, str] = {}
        for header in response.headers:
            value = self.header_value(operation, request, header)
            if value is not None:
                out[header.name] = value
        return out

    def header_value(
        self, operation: Operation, request: MockRequest, header: Header
    ) -> str | None:
        if header.example is not None and header.example.problem is None:
            return header_text(header.example.value)
        seed = request_seed(self.seed, request, header.name)
        try:
            value = self.generated(operation, header.schema, seed)
        except CannotMock:
            if header.required:
                raise
            return None  # an optional header nothing satisfies is left out
        return header_text(value)

    def warn_once(
        self, operation: Operation, response: Response, media: Media, example: Example
    ) -> None:
        key = (operation.location, response.status, media.media_type, example.name)
        if key in self.warned:
            return
        self.warned.add(key)
        logger.warning(
            "%s: example %r of response %s (%s) does not match its schema (%s); "
            "answering generated data instead",
            operation.location,
            example.name,
            response.status,
            media.media_type,
            example.problem,
        )


def with_status(data: Any, status: int, media: Media) -> Any:
    """A generated problem document (RFC 9457) states the status it is sent with,
    when its schema allows: ``{"status": 229}`` sent as 404 -> ``{"status": 404}``."""
    if not media.media_type.endswith("problem+json") or not isinstance(data, dict):
        return data
    if "status" not in data or media.schema is None:
        return data
    fixed = {**data, "status": status}
    return fixed if validation_error(media.schema, fixed) is None else data


def _example(media: Media, name: str | None) -> Example | None:
    if name is not None:
        return next((e for e in media.examples if e.name == name), None)
    return media.examples[0] if media.examples else None


def pick_media(response: Response, accept: str) -> Media | None:
    """The declared media type the client accepts, else the first JSON one."""
    if not response.media:
        return None
    wanted = [part.split(";")[0].strip().lower() for part in accept.split(",") if part.strip()]
    for media in response.media:
        if media.media_type.lower() in wanted:
            return media
    return next((m for m in response.media if is_json(m.media_type)), response.media[0])


def header_text(value: Any) -> str:
    """OpenAPI ``simple`` style: ``[1, 2]`` -> ``"1,2"``, ``True`` -> ``"true"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(header_text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{header_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def encode(status: int, headers: dict[str, str], media: Media, data: Any) -> MockAnswer:
    media_type = WILDCARD_MEDIA.get(media.media_type, media.media_type)
    if media_type.endswith("/*"):
        media_type = "application/octet-stream"
    if is_json(media.media_type):
        body = json.dumps(data, ensure_ascii=False).encode()
        return MockAnswer(status, headers, media_type, body, data)
    if isinstance(data, bytes):
        return MockAnswer(status, headers, media_type, data)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return MockAnswer(status, headers, media_type, text.encode())
