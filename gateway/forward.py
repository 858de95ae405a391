"""The upstream exchange of one request: send, wait, answer; failures → problems.

Failure mapping (RFC 9457 problems): no connection (refused, unreachable,
connect timeout) → 503 after one retry for idempotent methods with a
replayable body; the connection closed before any response byte (a
keep-alive race, or an upstream that died with the request in flight) →
retried the same way, on a fresh connection, then 503 (the upstream is gone);
without a retry (a request that is not idempotent, or whose body was
streamed and may have been processed) → 502; no response head or body chunk
within the operation's timeout → 504; an invalid response → 502. Connection
failures and timeouts count against the service's circuit breaker.

Once the response has started, a failure can only end it early: the
upstream connection is closed (never reused) and :class:`ClientGone` tells
the server to drop the client connection.

Example: ``await forward(pool, ex, b"GET", b"/items/1", headers, body=None, retries=1,
connect_timeout=5.0)`` → 200,
after sending the upstream's status, headers and body through ``send``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from gateway.body import BodyStream, ClientGone
from gateway.client import (
    ConnectFailed,
    Disconnected,
    ProtocolFailure,
    ReadTimeout,
    UpstreamPool,
    UpstreamResponse,
)
from gateway.headers import response_headers
from gateway.problems import send_problem
from gateway.state import RouteRuntime

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Header = tuple[bytes, bytes]
log = logging.getLogger("specfirst.gateway")

READ_WHOLE_LIMIT = 256 * 1024
_NO_BODY_STATUS = frozenset({204, 304})


class Exchange:
    """What the failure answers need to know about the request."""

    __slots__ = ("body", "client", "extra", "raw_path", "request_id", "rt", "send")

    def __init__(
        self,
        rt: RouteRuntime,
        send: Send,
        raw_path: str,
        request_id: str,
        extra: list[tuple[bytes, bytes]],
    ) -> None:
        self.rt = rt
        self.send = send
        self.raw_path = raw_path
        self.request_id = request_id
        self.extra = extra
        self.client: str | None = None  # the verified credential's client id (usage)
        self.body: bytes | None = None  # the request body, when it was read whole

    async def problem(
        self, status: int, detail: str, code: str, headers: Sequence[Header] = (), **extra: Any
    ) -> int:
        """Answer with a problem for this request; returns ``status``."""
        await send_problem(
            self.send, status, detail, self.raw_path, code,
            request_id=self.request_id, headers=headers, **extra,
        )  # fmt: skip
        return status


async def forward(
    pool: UpstreamPool,
    ex: Exchange,
    method: bytes,
    target: bytes,
    headers: list[tuple[bytes, bytes]],
    *,
    body: bytes | BodyStream | None,
    retries: int,
    connect_timeout: float,
) -> int:
    """Send the request upstream and relay the answer; returns the status sent."""
    rt = ex.rt
    assert rt.origin is not None
    replayable = body is None or isinstance(body, bytes)
    attempts = 1 + (retries if rt.idempotent and replayable else 0)
    streamed_length = isinstance(body, BodyStream) and any(
        name == b"content-length" for name, _ in headers
    )
    for attempt in range(1, attempts + 1):
        try:
            response = await pool.request(
                rt.origin, method, target, headers, body, timeout=rt.timeout,
                connect_timeout=min(connect_timeout, rt.timeout), streamed_length=streamed_length,
                fresh=attempt > 1,
            )  # fmt: skip
            break
        except (ConnectFailed, Disconnected) as exc:
            if isinstance(body, BodyStream) and body.failure is not None:
                raise body.failure from None
            if attempt < attempts:
                continue
            if isinstance(exc, ConnectFailed) or attempt > 1:
                # refused, or a fresh connection closed unanswered: the upstream is going away
                return await _unavailable(ex, exc)
            # a request that may have been processed (never retried): the upstream failed it
            return await _bad_gateway(ex, exc, breaker_failure=True)
        except ReadTimeout:
            return await _too_slow(ex)
        except ProtocolFailure as exc:
            return await _bad_gateway(ex, exc, breaker_failure=False)
    return await _relay(response, ex, method)


async def _relay(response: UpstreamResponse, ex: Exchange, method: bytes) -> int:
    rt = ex.rt
    status = response.status
    out = response_headers(response.headers, ex.request_id.encode())
    if ex.extra:
        out.extend(ex.extra)
    length = response.content_length
    no_body = method == b"HEAD" or status in _NO_BODY_STATUS
    if length is None and not no_body and response.complete:
        # a small chunked answer that has fully arrived: relay it whole, framed by length
        length = response.buffered
        out.append((b"content-length", str(length).encode()))
    if no_body or (length is not None and length <= READ_WHOLE_LIMIT):
        try:
            arrived = response.arrived_body()
            body = arrived if arrived is not None else await response.read()
        except ReadTimeout:
            return await _too_slow(ex)
        except ProtocolFailure as exc:
            return await _bad_gateway(ex, exc, breaker_failure=False)
        finally:
            response.release()
        rt.breaker.success()
        await ex.send({"type": "http.response.start", "status": status, "headers": out})
        await ex.send({"type": "http.response.body", "body": body})
        return status
    rt.breaker.success()
    await ex.send({"type": "http.response.start", "status": status, "headers": out})
    try:
        async for chunk in response.iter_chunks():
            await ex.send({"type": "http.response.body", "body": chunk, "more_body": True})
    except (ReadTimeout, ProtocolFailure) as exc:
        rt.metrics.upstream_error("interrupted")
        log.warning(
            "upstream %s broke off a response to %s: %s", rt.route.service, ex.raw_path, exc
        )
        raise ClientGone from None
    finally:
        response.release()
    await ex.send({"type": "http.response.body", "body": b""})
    return status


async def _unavailable(ex: Exchange, exc: Exception) -> int:
    ex.rt.breaker.failure()
    ex.rt.metrics.upstream_error("unavailable")
    log.warning("upstream %s unavailable for %s: %s", ex.rt.route.service, ex.raw_path, exc)
    detail = f"service {ex.rt.route.service!r} is unavailable"
    return await ex.problem(503, detail, "upstream_unavailable")


async def _too_slow(ex: Exchange) -> int:
    ex.rt.breaker.failure()
    ex.rt.metrics.upstream_error("timeout")
    detail = f"service {ex.rt.route.service!r} did not answer within {ex.rt.timeout:g}s"
    return await ex.problem(504, detail, "upstream_timeout")


async def _bad_gateway(ex: Exchange, exc: Exception, breaker_failure: bool) -> int:
    if breaker_failure:
        ex.rt.breaker.failure()
    else:
        ex.rt.breaker.release_probe()
    ex.rt.metrics.upstream_error("bad_response")
    log.warning("upstream %s failed %s: %s", ex.rt.route.service, ex.raw_path, exc)
    detail = f"service {ex.rt.route.service!r} sent no valid response"
    return await ex.problem(502, detail, "bad_gateway")
