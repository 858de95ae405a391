"""Everything the proxy needs per routing table, compiled once per (re)load.

A :class:`GatewayState` is immutable once built and swapped as a whole on
reload: a request in flight keeps the state it started with. Per route it
holds a :class:`RouteRuntime` with what the hot path would otherwise compute
per request (upstream origin, timeout, breaker, metrics).
Breakers and metrics outlive reloads (they are looked up by service / route
name), so a reload neither resets an open breaker nor the counters.

Example: ``build_state(composition, config, metrics)`` →
``GatewayState(matcher=..., openapi_json=b'{"openapi":"3.1.0",...}', ...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from codegen.core.auth.bearer import JwtVerifier, KeySet, load_jwks
from codegen.core.auth.forwarded import IdentitySigner
from codegen.core.routing.matcher import Matcher, Status
from gateway.auth.policy import SecurityPolicy
from gateway.breaker import CircuitBreaker
from gateway.client import Origin
from gateway.compose import Composition
from gateway.config import GatewayConfig
from gateway.cors import CorsPolicy
from gateway.metrics import MetricsRegistry, RouteMetrics
from gateway.table import Route, RoutingTable
from gateway.validation import RequestValidator, build_validator

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


class RouteRuntime:
    """One route plus its precomputed per-request data."""

    __slots__ = (
        "base_path",
        "breaker",
        "idempotent",
        "metrics",
        "origin",
        "route",
        "security",
        "strip",
        "timeout",
        "validator",
    )

    def __init__(
        self,
        route: Route,
        prefix: str,
        breaker: CircuitBreaker,
        metrics: RouteMetrics,
        validator: RequestValidator | None,
    ) -> None:
        self.route = route
        self.origin = Origin.parse(route.upstream) if route.upstream else None
        self.base_path = self.origin.base_path if self.origin else ""
        self.strip = prefix.count("/")
        self.timeout = route.timeout
        self.breaker = breaker
        self.metrics = metrics
        self.security = route.security
        self.idempotent = route.method in IDEMPOTENT
        self.validator = validator

    def target(self, raw_path: str, query: bytes) -> bytes:
        """The upstream request target: ``/api`` + ``/orders/7`` + ``?x=1``
        (the service's base path added, the gateway's mount prefix removed)."""
        if self.strip:
            raw_path = "/" + "/".join(raw_path.split("/")[self.strip + 1 :])
        path = (self.base_path + raw_path).encode("latin-1")
        return path + b"?" + query if query else path


@dataclass
class GatewayState:
    table: RoutingTable
    matcher: Matcher[RouteRuntime]
    document: dict[str, Any]
    openapi_json: bytes
    policy: SecurityPolicy
    signer: IdentitySigner
    breakers: dict[str, CircuitBreaker]
    upstreams: dict[str, str | None]
    unmatched: RouteMetrics
    cors: CorsPolicy | None = None  # None: CORS is off
    warnings: list[str] = field(default_factory=list)
    keyset: KeySet = field(default_factory=KeySet)  # the RSA keys bearer tokens are checked with

    def upstream_url(self, method: str, path: str) -> str | None:
        """The upstream URL the gateway would send ``method path`` to; None when no
        route (or no upstream) serves it. ``GET /.well-known/jwks.json`` ->
        ``http://127.0.0.1:8002/.well-known/jwks.json``."""
        match = self.matcher.match(method, path)
        if match.status is not Status.FULL:
            return None
        runtime = match.route
        origin = runtime.origin if runtime is not None else None
        if runtime is None or origin is None:
            return None
        target = runtime.target(path, b"").decode("latin-1")
        return f"{origin.scheme}://{origin.host_header.decode('latin-1')}{target}"


def build_state(
    composition: Composition,
    config: GatewayConfig,
    metrics: MetricsRegistry,
    breakers: Mapping[str, CircuitBreaker] | None = None,
    keyset: KeySet | None = None,
) -> GatewayState:
    """Compile a successful composition. Raises ``ValueError`` (e.g. a bad
    JWKS file) when the state cannot be built; the caller keeps the old one.
    ``keyset`` is a fetched key set that outlives reloads (``auth.jwks_url``);
    without one, the keys are the JWKS file's, read again on each reload."""
    if composition.document is None:
        raise ValueError("the composition has errors; there is no document to serve")
    document = composition.document
    table = RoutingTable.build(composition, config)
    kept = dict(breakers or {})
    services = {source.name: config.service(source.name) for source in composition.sources}
    fresh: dict[str, CircuitBreaker] = {}
    for name in services:
        fresh[name] = kept.get(name) or CircuitBreaker(
            config.breaker.failures, config.breaker.reset
        )
    matcher: Matcher[RouteRuntime] = Matcher()
    for route, entry in zip(table.routes, table.entries, strict=True):
        validator = (
            build_validator(document, route.key, route.method.lower(), config.query_policy)
            if config.validate_requests
            else None
        )
        runtime = RouteRuntime(
            route,
            services[route.service].prefix,
            fresh[route.service],
            metrics.route(route.service, route.label, route.method),
            validator,
        )
        if matcher.add(entry.compiled, route.method, runtime, route.selector) is not None:
            raise ValueError(f"{route.method} {route.key} is shadowed (the composition kept it)")
    schemes = document.get("components", {}).get("securitySchemes", {})
    auth = config.auth
    if keyset is None:
        keyset = KeySet(load_jwks(auth.jwks_file) if auth.jwks_file else {})
    verifier = JwtVerifier(
        auth.jwt_secret, None, auth.audience, auth.issuer, auth.leeway, keyset=keyset
    )
    return GatewayState(
        table=table,
        matcher=matcher,
        document=document,
        openapi_json=orjson.dumps(document),
        policy=SecurityPolicy(schemes, verifier, auth.api_keys),
        signer=IdentitySigner(auth.identity_key),
        breakers=fresh,
        upstreams={name: service.upstream for name, service in services.items()},
        unmatched=metrics.route("", "(unmatched)", "*"),
        cors=CorsPolicy(config.cors, document, matcher) if config.cors.enabled else None,
        keyset=keyset,
    )
