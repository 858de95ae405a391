"""Handle one matched request: security, rate limit, breaker, body, forward.

The hot path, in order: forwarding and identity headers
(:mod:`gateway.headers`), edge security (:mod:`gateway.auth.policy`), the
rate limit, the body limit (413), the circuit breaker, optional validation,
then the upstream exchange (:mod:`gateway.forward`). Every request is counted
in the route's metrics and, when the access log is on, logged with its
request id.

Example: ``GET /orders/7`` matched to ``orders`` at ``http://127.0.0.1:8001`` →
``GET /orders/7`` sent there with ``X-Forwarded-For``, ``X-Request-ID`` and,
when authenticated, ``X-Specfirst-Identity``: the verified identity as a token
the gateway signs for this method, path and service.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from codegen.core.auth.forwarded import ForwardedIdentity
from codegen.core.routing.matcher import MatchResult
from gateway import ratelimit
from gateway.auth.jwks import RemoteKeySet
from gateway.auth.policy import Credentials, Denial, Identity
from gateway.body import (
    BodyStream,
    BodyTimeout,
    BodyTooLarge,
    ClientGone,
    deadline_after,
    read_body,
)
from gateway.client import UpstreamPool
from gateway.config import GatewayConfig
from gateway.forward import Exchange, forward
from gateway.headers import IDENTITY_HEADER, upstream_headers
from gateway.state import GatewayState, RouteRuntime
from gateway.usage.recorder import UsageRecorder

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Header = tuple[bytes, bytes]

BUFFER_LIMIT = 1024 * 1024
access_log = logging.getLogger("specfirst.gateway.access")
_METHODS: dict[str, bytes] = {}


def _content_length(headers: list[Header]) -> tuple[int, bool]:
    """(Content-Length or -1, whether a Transfer-Encoding was sent)."""
    length = -1
    chunked = False
    for name, value in headers:
        if name == b"content-length":
            length = int(value) if value.isdigit() else -1
        elif name == b"transfer-encoding":
            chunked = True
    return length, chunked


def _method(name: str) -> bytes:
    found = _METHODS.get(name)
    if found is None:
        found = _METHODS[name] = name.encode()
    return found


class Proxy:
    """Holds the upstream pool and the limiter; one per worker process."""

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self.pool = UpstreamPool(limit=config.pool_size)
        self.limiter: ratelimit.MemoryBuckets | ratelimit.RedisBuckets | None = None
        self.log_access = False
        self.usage: UsageRecorder | None = None  # set by the app when [gateway.usage] is on

    async def start(self) -> None:
        limit = self.config.rate_limit
        if limit.enabled:
            self.limiter = (
                ratelimit.RedisBuckets(limit.redis_url, limit.rate, limit.burst, limit.redis_prefix)
                if limit.redis_url
                else ratelimit.MemoryBuckets(limit.rate, limit.burst)
            )
        self.log_access = access_log.isEnabledFor(logging.INFO)

    async def stop(self) -> None:
        await self.pool.close()
        if isinstance(self.limiter, ratelimit.RedisBuckets):
            await self.limiter.close()

    async def handle(
        self, scope: Scope, receive: Receive, send: Send, *, state: GatewayState,
        match: MatchResult[RouteRuntime], raw_path: str,
    ) -> None:  # fmt: skip
        started = time.perf_counter()
        rt: RouteRuntime = match.route  # type: ignore[assignment]
        client = scope.get("client")
        client_ip = client[0] if client else None
        headers, request_id = upstream_headers(scope["headers"], client_ip, scope["scheme"])
        ex = Exchange(rt, send, raw_path, request_id, [])
        try:
            # _admit has nothing to check without security, a limiter or a missing upstream
            admits = rt.security or self.limiter is not None or rt.origin is None
            status = await self._admit(scope, state, ex, headers, client_ip) if admits else 0
            if not status:
                status = await self._forward(scope, receive, match, ex, headers)
        except ClientGone:
            rt.breaker.release_probe()
            status = 499
        elapsed = time.perf_counter() - started
        rt.metrics.observe(status, elapsed)
        if self.usage is not None:
            self.usage.observe(rt, scope, status, ex.client, ex.body)
        if self.log_access:
            access_log.info(
                "%s %s %s %d %.1fms service=%s operation=%s request_id=%s",
                client_ip, scope["method"], raw_path, status, elapsed * 1000,
                rt.route.service, rt.route.label, request_id,
            )  # fmt: skip

    async def _admit(
        self, scope: Scope, state: GatewayState, ex: Exchange, headers: list[Header],
        client_ip: str | None,
    ) -> int:  # fmt: skip
        """0 when the request may go upstream, else the status of the refusal sent."""
        rt = ex.rt
        identity: Identity | None = None
        if rt.security:
            query = scope.get("query_string", b"")
            credentials = Credentials(scope["headers"], query)
            verdict = await self._verdict(state, rt, credentials)
            if isinstance(verdict, Denial):
                challenges = [(b"www-authenticate", c.encode("latin-1", "replace"))
                              for c in verdict.challenges]  # fmt: skip
                code = "unauthorized" if verdict.status == 401 else "forbidden"
                return await ex.problem(verdict.status, verdict.detail, code, challenges)
            identity = verdict
            ex.client = verdict.client or None
            if verdict.scheme:
                headers.append((IDENTITY_HEADER, self._identity(state, scope, ex, verdict)))
        if self.limiter is not None:
            decision = await self._limit(identity, scope, client_ip)
            ex.extra = ratelimit.headers(decision, self.limiter.rate, self.limiter.burst)
            if not decision.allowed:
                return await ex.problem(
                    429, "too many requests; retry later", "rate_limited", ex.extra
                )
        if rt.origin is None:
            detail = f"no upstream is configured for service {rt.route.service!r}"
            return await ex.problem(503, detail, "no_upstream")
        return 0

    @staticmethod
    async def _verdict(
        state: GatewayState, rt: RouteRuntime, credentials: Credentials
    ) -> Identity | Denial:
        """The security check; a token signed by a key not fetched yet (one rotated in)
        makes the key set refresh (single-flight, rate-limited) and the check run again."""
        verdict = state.policy.check(rt.security, credentials)
        keyset = state.keyset
        if (
            isinstance(verdict, Denial)
            and verdict.unknown_key
            and isinstance(keyset, RemoteKeySet)
            and await keyset.refresh()
        ):
            verdict = state.policy.check(rt.security, credentials)
        return verdict

    @staticmethod
    def _identity(state: GatewayState, scope: Scope, ex: Exchange, verdict: Identity) -> bytes:
        """The signed identity for this one upstream request (codegen.core.auth.forwarded)."""
        schemes = tuple(verdict.scheme.split(","))
        forwarded = ForwardedIdentity(verdict.subject, verdict.scopes, schemes)
        token = state.signer.sign(
            forwarded,
            audience=ex.rt.route.service,
            method=scope["method"],
            path=ex.rt.target(ex.raw_path, b"").decode("latin-1"),
        )
        return token.encode("ascii")

    async def _forward(
        self, scope: Scope, receive: Receive, match: MatchResult[RouteRuntime], ex: Exchange,
        headers: list[Header],
    ) -> int:  # fmt: skip
        rt = ex.rt
        length, chunked = _content_length(scope["headers"])
        limit = self.config.limits.body_limit
        body_timeout = self.config.limits.body_timeout
        if length > limit:
            detail = f"the request body of {length} bytes exceeds the limit of {limit} bytes"
            return await ex.problem(413, detail, "body_too_large")
        if not rt.breaker.allow():
            retry = [(b"retry-after", str(rt.breaker.retry_after()).encode())]
            detail = f"service {rt.route.service!r} is failing; its circuit breaker is open"
            return await ex.problem(503, detail, "circuit_open", retry)
        reads_body = chunked or length > 0 or rt.validator is not None
        # without a body to read, no deadline (and no event-loop lookup: a getpid call)
        deadline = deadline_after(self.config.limits.body_deadline) if reads_body else math.inf
        try:
            body: bytes | BodyStream | None = None
            if chunked:  # buffered whole and sized, as nginx does: services need a length
                body = await read_body(receive, limit, body_timeout, deadline)
                headers[:] = [h for h in headers if h[0] != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
            elif length > BUFFER_LIMIT:
                body = BodyStream(receive, limit, body_timeout, deadline)
            elif length > 0 or rt.validator is not None:
                body = await read_body(receive, limit, body_timeout, deadline)
            if rt.validator is not None:
                body, errors = await self._validate(scope, receive, match, body, deadline)
                if errors:
                    rt.breaker.release_probe()
                    detail = "the request does not match the API contract"
                    return await ex.problem(400, detail, "invalid_request", errors=errors)
            if isinstance(body, bytes):
                ex.body = body
            query = scope.get("query_string", b"")
            return await forward(
                self.pool, ex, _method(scope["method"]), rt.target(ex.raw_path, query), headers,
                body=body, retries=self.config.retries,
                connect_timeout=self.config.connect_timeout,
            )  # fmt: skip
        except BodyTooLarge:
            rt.breaker.release_probe()
            detail = f"the request body exceeds the limit of {limit} bytes"
            return await ex.problem(413, detail, "body_too_large")
        except BodyTimeout as timeout:
            rt.breaker.release_probe()
            return await self._body_timeout(ex, timeout)

    async def _body_timeout(self, ex: Exchange, timeout: BodyTimeout) -> int:
        """The 408 for a body that stalled, or that missed the whole-body deadline."""
        limits = self.config.limits
        close = [(b"connection", b"close")]
        if timeout.whole:
            detail = f"the request body did not arrive within {limits.body_deadline:g}s"
            return await ex.problem(408, detail, "body_deadline", close)
        detail = f"the request body stalled for {limits.body_timeout:g}s"
        return await ex.problem(408, detail, "body_timeout", close)

    async def _validate(
        self, scope: Scope, receive: Receive, match: MatchResult[RouteRuntime],
        body: bytes | BodyStream | None, deadline: float,
    ) -> tuple[bytes | None, list[dict[str, str]]]:  # fmt: skip
        """(the body, now read whole, and the validation errors)."""
        if isinstance(body, BodyStream):
            limits = self.config.limits
            body = await read_body(receive, limits.body_limit, limits.body_timeout, deadline)
        validator = match.route.validator  # type: ignore[union-attr]
        assert validator is not None
        raw_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        errors = validator.check(
            match.params(),
            scope.get("query_string", b""),
            raw_headers,
            body,
            raw_headers.get("content-type", ""),
        )
        return body, errors

    async def _limit(
        self, identity: Identity | None, scope: Scope, client_ip: str | None
    ) -> ratelimit.Decision:
        key = ratelimit.client_key(identity, client_ip)
        assert self.limiter is not None
        if isinstance(self.limiter, ratelimit.RedisBuckets):
            return await self.limiter.take(key)
        return self.limiter.take(key)
