"""The gateway's ASGI application: wiring only.

Requests for the gateway's own paths (``/openapi.json``, ``/docs``,
``/redoc``, ``/healthz``, ``/readyz``, ``/metrics``, the problem catalogue
``/_specfirst/problems`` and the vendored assets under ``/_specfirst/static/``)
are answered here; every other request is matched against the current
:class:`gateway.state.GatewayState` and handed to :class:`gateway.proxy.Proxy`:
404 problem for no path, 405 problem with ``Allow`` for a wrong method. With
CORS configured, preflights are answered first and every answer gets its CORS
headers (:mod:`gateway.cors`). The state is swapped whole on reload
(:mod:`gateway.reload`), so a request in flight finishes with the table it
started with.

Example::

    app = create_app(load_config("."))      # then: uvicorn.run(app)
    GET /orders/7   → proxied to the orders service
    GET /nope       → 404 application/problem+json
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from codegen.core.problems.page import PAGE_PATH
from codegen.core.routing.matcher import MatchResult, Status
from gateway import docs_ui, health
from gateway.auth.jwks import RemoteKeySet
from gateway.compose.load import compose_specs
from gateway.config import GatewayConfig, load_config
from gateway.cors import is_preflight, request_header
from gateway.headers import request_id_of
from gateway.metrics import CONTENT_TYPE as METRICS_TYPE
from gateway.metrics import MetricsRegistry
from gateway.metrics_share import DIRECTORY_ENV, SharedMetrics
from gateway.problems import send_problem
from gateway.proxy import Proxy
from gateway.reload import Reloader
from gateway.selection import request_lookups
from gateway.state import GatewayState, build_state
from gateway.usage.start import start_recorder

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Handler = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("specfirst.gateway")
ROOT_ENV = "SPECFIRST_GATEWAY_ROOT"
SPECS_ENV = "SPECFIRST_GATEWAY_SPECS"


class CompositionFailed(RuntimeError):
    """The specs do not compose; ``report`` lists the diagnostics."""

    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


class GatewayApp:
    def __init__(
        self,
        config_loader: Callable[[], GatewayConfig],
        watch: bool = True,
    ) -> None:
        self.config_loader = config_loader
        self.config = config_loader()
        self.metrics = MetricsRegistry()
        shared = os.environ.get(DIRECTORY_ENV)
        self.shared = SharedMetrics(self.metrics, Path(shared)) if shared else None
        self.proxy = Proxy(self.config)
        self.state: GatewayState | None = None
        self.keyset = self._remote_keyset(self.config)
        self._keyset_task: asyncio.Task[None] | None = None
        self.reloader = Reloader(self, watch=watch)
        self.builtins: dict[str, Handler] = {
            "/openapi.json": self._openapi,
            "/docs": docs_ui.swagger_page,
            "/redoc": docs_ui.redoc_page,
            "/healthz": self._healthz,
            "/readyz": self._readyz,
            "/metrics": self._metrics,
            PAGE_PATH: docs_ui.problems_page,
        }

    def _remote_keyset(self, config: GatewayConfig) -> RemoteKeySet | None:
        """The fetched JWKS of ``auth.jwks_url``, kept across reloads; a path is
        resolved through the current routes to the service that serves it."""
        url = config.auth.jwks_url
        if url is None:
            return None

        def resolve() -> str | None:
            if not url.startswith("/"):
                return url
            return self.state.upstream_url("GET", url) if self.state is not None else None

        auth = config.auth
        return RemoteKeySet(resolve, min_interval=auth.jwks_min_refresh, max_age=auth.jwks_max_age)

    def load(self) -> GatewayState:
        """Compose the specs and build a state; :class:`CompositionFailed` if
        the specs do not compose (the caller decides what to keep)."""
        config = self.config_loader()
        composition = compose_specs(config)
        for diagnostic in composition.diagnostics:
            log.warning("%s", diagnostic.format())
        if composition.document is None:
            errors = [d.format() for d in composition.diagnostics if str(d.severity) == "error"]
            raise CompositionFailed("\n".join(errors))
        previous = self.state.breakers if self.state is not None else None
        state = build_state(composition, config, self.metrics, previous, self.keyset)
        self.config = config
        self.proxy.config = config
        return state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.http(scope, receive, send)
        elif kind == "lifespan":
            await self.lifespan(receive, send)
        else:  # websockets are not proxied
            await send({"type": "websocket.close", "code": 1003})

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        raw = scope.get("raw_path")
        raw_path = raw.decode("latin-1") if raw else path
        state = self.state
        cors = state.cors if state is not None else None
        builtin = self.builtins.get(path)
        if cors is not None:
            origin = request_header(scope, b"origin")
            if origin is not None and is_preflight(scope):
                own = builtin is not None or path.startswith(docs_ui.STATIC_PREFIX)
                await cors.preflight(send, origin, raw_path, builtin=own)
                return
            send = cors.wrap(send, origin)
        if builtin is not None:
            await builtin(scope, receive, send)
            return
        if path.startswith(docs_ui.STATIC_PREFIX):
            await docs_ui.static(scope, receive, send)
            return
        if state is None:
            await send_problem(
                send, 503, "the gateway is starting", raw_path, "starting",
                request_id=request_id_of(scope["headers"]),
            )  # fmt: skip
            return
        method: str = scope["method"]
        match = state.matcher.match(method, raw_path)
        if match.status is Status.SELECT:
            match = match.select(*request_lookups(scope))
        if match.status is Status.FULL:
            try:
                await self.proxy.handle(
                    scope, receive, send, state=state, match=match, raw_path=raw_path
                )
            except Exception:  # a gateway bug: log it, answer a problem if still possible
                log.exception("internal error while proxying %s %s", method, raw_path)
                with contextlib.suppress(Exception):
                    detail = "the gateway failed while handling this request"
                    rid = request_id_of(scope["headers"])
                    await send_problem(
                        send, 500, detail, raw_path, "internal_error", request_id=rid
                    )
            return
        await _refuse(send, match, method, raw_path, request_id_of(scope["headers"]))
        state.unmatched.observe(_REFUSAL_STATUS[match.status], 0.0)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self.state = self.load()
                    await self.proxy.start()
                    self.proxy.usage = await start_recorder(self.config.usage, self._document)
                    await self.reloader.start()
                    if self.shared is not None:
                        self.shared.start()
                    if self.keyset is not None:
                        self._keyset_task = asyncio.create_task(self.keyset.run())
                except CompositionFailed as exc:
                    await send({"type": "lifespan.startup.failed", "message": exc.report})
                    return
                except Exception as exc:  # report the reason, not a traceback
                    message_text = f"{type(exc).__name__}: {exc}"
                    await send({"type": "lifespan.startup.failed", "message": message_text})
                    return
                routes = len(self.state.table.routes)
                log.info("gateway ready: %d routes from %s", routes, self.config.specs_dir)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._keyset_task is not None:
                    self._keyset_task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await self._keyset_task
                await self.reloader.stop()
                if self.proxy.usage is not None:
                    await self.proxy.usage.stop()
                await self.proxy.stop()
                if self.shared is not None:
                    self.shared.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _document(self) -> dict[str, Any] | None:
        return self.state.document if self.state is not None else None

    async def _openapi(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self.state.openapi_json if self.state is not None else b"{}"
        await _send(send, 200, b"application/json", body)

    async def _healthz(self, scope: Scope, receive: Receive, send: Send) -> None:
        routes = len(self.state.table.routes) if self.state is not None else 0
        await _send(send, 200, b"application/json", health.healthz_body(routes))

    async def _readyz(self, scope: Scope, receive: Receive, send: Send) -> None:
        upstreams = self.state.upstreams if self.state is not None else {}
        details = self.config.readiness_details
        status, body = await health.readyz(self.proxy.pool, upstreams, details=details)
        await _send(send, status, b"application/json", body)

    async def _metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self.shared.render() if self.shared is not None else self.metrics.render()
        await _send(send, 200, METRICS_TYPE, body)


_REFUSAL_STATUS = {
    Status.PARTIAL: 405,
    Status.NON_CANONICAL: 400,
    Status.UNSELECTED: 400,
    Status.NONE: 404,
}


async def _refuse(
    send: Send, match: MatchResult[Any], method: str, raw_path: str, request_id: str
) -> None:
    """The problem answer of an unrouted request: 405 with ``Allow`` for a
    known path, 400 for a refused path or an unselected operation, else 404."""
    status = _REFUSAL_STATUS[match.status]
    if match.status is Status.PARTIAL:
        allow = match.allowed
        detail = f"{method} is not allowed on {match.template}; allowed: {allow}"
        headers = [(b"allow", allow.encode())]
        await send_problem(
            send, status, detail, raw_path, "method_not_allowed",
            request_id=request_id, headers=headers,
        )  # fmt: skip
    elif match.refusal is not None:
        await send_problem(
            send, status, match.refusal.reason, raw_path, "non_canonical_path",
            request_id=request_id,
        )  # fmt: skip
    elif match.unselected is not None:
        detail = match.unselected.detail(method, match.template or raw_path)
        await send_problem(
            send, status, detail, raw_path, "operation_not_selected",
            request_id=request_id, missing=match.unselected.names(),
        )  # fmt: skip
    else:
        detail = f"no route matches {method} {raw_path}"
        await send_problem(send, status, detail, raw_path, "route_not_found", request_id=request_id)


async def _send(send: Send, status: int, content_type: bytes, body: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def create_app(
    config: GatewayConfig | Callable[[], GatewayConfig], watch: bool = True
) -> GatewayApp:
    """An app for a fixed config (tests) or a config loader (reloads re-read it)."""
    loader = config if callable(config) else (lambda: config)
    return GatewayApp(loader, watch=watch)


def create_app_from_env() -> GatewayApp:
    """Factory for uvicorn workers: the CLI passes its options in the environment."""
    root = Path(os.environ.get(ROOT_ENV, "."))
    specs = os.environ.get(SPECS_ENV) or None
    return create_app(lambda: load_config(root, specs))
