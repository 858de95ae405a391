"""CORS at the edge: preflights answered by the gateway, CORS headers on every answer.

Configured per gateway in ``[tool.specfirst.gateway.cors]``
(:class:`gateway.config.CorsConfig`); without ``allow_origins`` CORS is off
and nothing here runs. With it:

* a preflight (``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``)
  never reaches a service. From an allowed origin it is answered ``204`` with
  the methods of the requested path and the request headers its operations
  declare (header parameters, the security schemes' ``Authorization`` or API
  key header, ``Content-Type`` where there is a body, ``If-None-Match`` /
  ``If-Modified-Since`` where a ``GET`` has validators, plus the configured
  ``allow_headers``); the browser enforces both lists. An unknown path is the
  usual 404 problem; an origin not allowed is a 403 problem without CORS headers;
* every other answer (proxied, the gateway's own problems and pages) to an
  allowed origin carries ``Access-Control-Allow-Origin`` (the origin itself),
  ``Access-Control-Allow-Credentials`` when configured and
  ``Access-Control-Expose-Headers``; an origin not allowed gets none of them;
* every answer carries ``Vary: Origin`` (merged into the upstream's ``Vary``),
  since it depends on the origin.

Example: ``OPTIONS /orders/7`` with ``Origin: https://app.example`` and
``Access-Control-Request-Method: PATCH`` → ``204`` with
``access-control-allow-methods: DELETE, GET, HEAD, PATCH`` and
``access-control-allow-headers: Authorization, Content-Type, If-Match, ...``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from typing import Any

from codegen.core.routing.canonical import NonCanonical, split_raw
from codegen.core.routing.matcher import Leaf, Matcher, allow_value
from gateway.compose.operations import resolve_local
from gateway.config import CorsConfig
from gateway.problems import send_problem
from gateway.table import Route

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
Header = tuple[bytes, bytes]

CREDENTIAL_SCHEMES = frozenset({"http", "oauth2", "openIdConnect"})  # -> Authorization
VALIDATOR_CONDITIONS = {"etag": "If-None-Match", "last-modified": "If-Modified-Since"}
PREFLIGHT_VARY = b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"


def request_header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of header ``name`` (lower case) in an ASGI scope."""
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def is_preflight(scope: Scope) -> bool:
    """``OPTIONS`` with ``Access-Control-Request-Method`` (the caller saw ``Origin``)."""
    return scope["method"] == "OPTIONS" and (
        request_header(scope, b"access-control-request-method") is not None
    )


def operation_request_headers(document: dict[str, Any], route: Route) -> set[str]:
    """The request headers one operation of the merged ``document`` may receive
    beyond the CORS-safelisted ones (see the module docstring)."""
    operation = document["paths"][route.key][route.method.lower()]
    names: set[str] = set()
    for raw in operation.get("parameters") or []:
        param = resolve_local(document, raw)
        if isinstance(param, dict) and param.get("in") == "header" and "name" in param:
            names.add(str(param["name"]))
    if operation.get("requestBody") is not None:
        names.add("Content-Type")
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    for requirement in route.security:
        for scheme_name in requirement:
            scheme = resolve_local(document, schemes.get(scheme_name))
            if not isinstance(scheme, dict):
                continue
            if scheme.get("type") in CREDENTIAL_SCHEMES:
                names.add("Authorization")
            elif scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                names.add(str(scheme.get("name")))
    not_modified = resolve_local(document, (operation.get("responses") or {}).get("304"))
    if isinstance(not_modified, dict):
        for header in not_modified.get("headers") or {}:
            condition = VALIDATOR_CONDITIONS.get(str(header).lower())
            if condition is not None:
                names.add(condition)
    return names


def header_list(names: Iterable[str]) -> bytes:
    """``{"x-b", "X-A", "x-a"}`` -> ``b"X-A, x-b"``: one spelling per name, sorted."""
    unique: dict[str, str] = {}
    for name in sorted(names):
        unique.setdefault(name.lower(), name)
    return ", ".join(sorted(unique.values(), key=str.lower)).encode("latin-1")


def with_vary_origin(headers: Sequence[Header]) -> list[Header]:
    """``headers`` with ``Origin`` added to ``Vary`` (one merged field)."""
    out: list[Header] = []
    values: list[bytes] = []
    for name, value in headers:
        if name.lower() == b"vary":
            values.append(value)
        else:
            out.append((name, value))
    tokens = [t.strip() for v in values for t in v.split(b",") if t.strip()]
    if b"*" not in tokens and b"origin" not in (t.lower() for t in tokens):
        tokens.append(b"Origin")
    out.append((b"vary", b", ".join(tokens)))
    return out


class CorsPolicy:
    """The CORS answers of one routing table; built with the gateway state."""

    def __init__(self, config: CorsConfig, document: dict[str, Any], matcher: Matcher[Any]):
        self.config = config
        self.document = document
        self.matcher = matcher
        self.any_origin = "*" in config.allow_origins
        self.origins = frozenset(o.encode("latin-1") for o in config.allow_origins)
        allowed: list[Header] = []
        if config.allow_credentials:
            allowed.append((b"access-control-allow-credentials", b"true"))
        self.credential_headers = allowed
        self.expose: list[Header] = (
            [(b"access-control-expose-headers", header_list(config.expose_headers))]
            if config.expose_headers
            else []
        )
        self._leaf_headers: dict[tuple[Leaf[Any], ...], bytes] = {}

    def allows(self, origin: bytes) -> bool:
        return self.any_origin or origin in self.origins

    def wrap(self, send: Send, origin: bytes | None) -> Send:
        """``send`` with the CORS headers of ``origin`` added to the response start."""
        extra: list[Header] = []
        if origin is not None and self.allows(origin):
            extra = [
                (b"access-control-allow-origin", origin),
                *self.credential_headers,
                *self.expose,
            ]

        async def cors_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*with_vary_origin(message.get("headers") or []), *extra]
            await send(message)

        return cors_send

    def allowed_headers(self, leaves: tuple[Leaf[Any], ...]) -> bytes:
        """The ``Access-Control-Allow-Headers`` value of a path: the request
        headers of every operation of the templates it matches (cached)."""
        found = self._leaf_headers.get(leaves)
        if found is None:
            names = set(self.config.allow_headers)
            for leaf in leaves:
                for _, runtime, _, _ in leaf.routes():
                    names |= operation_request_headers(self.document, runtime.route)
            found = self._leaf_headers[leaves] = header_list(names)
        return found

    async def preflight(
        self, send: Send, origin: bytes, raw_path: str, *, builtin: bool = False
    ) -> None:
        """Answer a preflight for ``raw_path`` (see the module docstring); a
        ``builtin`` path (the gateway's own pages) allows ``GET, HEAD``."""
        if not self.allows(origin):
            detail = (
                f"origin {origin.decode('latin-1')} is not allowed to call this API "
                "from a browser (gateway.cors.allow_origins)"
            )
            await send_problem(
                send, 403, detail, raw_path, "cors_origin_not_allowed",
                headers=[(b"vary", PREFLIGHT_VARY)],
            )  # fmt: skip
            return
        if builtin:
            await self._allow(send, origin, b"GET, HEAD", header_list(self.config.allow_headers))
            return
        parts = split_raw(raw_path)
        if isinstance(parts, NonCanonical):
            await send_problem(
                self.wrap(send, origin), 400, parts.reason, raw_path, "non_canonical_path"
            )
            return
        leaves = tuple(self.matcher.leaves_for(parts))
        if not leaves:
            detail = f"no route matches {raw_path}"
            await send_problem(self.wrap(send, origin), 404, detail, raw_path, "route_not_found")
            return
        methods = allow_value(leaves).encode("latin-1")
        await self._allow(send, origin, methods, self.allowed_headers(leaves))

    async def _allow(self, send: Send, origin: bytes, methods: bytes, allow_headers: bytes) -> None:
        headers: list[Header] = [
            (b"access-control-allow-origin", origin),
            *self.credential_headers,
            (b"access-control-allow-methods", methods),
            (b"access-control-max-age", str(self.config.max_age).encode()),
            (b"vary", PREFLIGHT_VARY),
        ]
        if allow_headers:
            headers.append((b"access-control-allow-headers", allow_headers))
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
