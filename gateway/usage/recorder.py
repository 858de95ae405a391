"""Record usage off the request path: append now, count later, flush in batches.

On the hot path :meth:`UsageRecorder.observe` appends one tuple of references
(the route, the raw query string and header list, the status, the client id,
the body when it was read anyway) to a bounded list; nothing is parsed.
Every ``flush_interval`` seconds a background task takes the list, reduces
each request to names (:class:`codegen.core.usage.fields.Observation`: declared
parameters present, folded body pointers, media type), sums the counters per
operation and day, yields to the event loop every few hundred requests, and
writes one batch to the store. A store failure loses that batch and is
logged: usage is best-effort and never becomes an outage.

Bounds in memory: at most ``max_pending`` requests wait (later ones are only
counted as lost and logged), bodies larger than ``inspect_limit`` or past
``max_held`` bytes held in total are not kept (their properties count as
unread).

Example: ``recorder.observe(rt, scope, 200, "web", b'{"name": "x"}')``, then
after the next flush the store holds ``{"n": 1, "s:200": 1, "B": 1, ...}``
under ``("2026-12-03", "catalog POST /products")``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any
from urllib.parse import unquote_plus

import orjson

from codegen.core.usage.body import UNDECLARED, BodyPaths, local_resolver
from codegen.core.usage.fields import Observation, increments
from gateway.config import UsageConfig
from gateway.state import RouteRuntime
from gateway.usage.routes import RouteUsage, media_type, route_usage
from gateway.usage.stores import UsageStore

log = logging.getLogger("specfirst.gateway.usage")
Header = tuple[bytes, bytes]
Pending = tuple[RouteRuntime, bytes, Sequence[Header], int, str | None, bytes | None]
UNDECLARED_MEDIA = "(undeclared)"
_YIELD_EVERY = 256


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


class UsageRecorder:
    """One per worker process; ``start()`` runs the flush task, ``stop()`` flushes."""

    def __init__(
        self,
        config: UsageConfig,
        store: UsageStore,
        document: Callable[[], Mapping[str, Any] | None],
        today: Callable[[], str] = _today,
    ) -> None:
        self.config = config
        self.store = store
        self.document = document
        self.today = today
        self.lost = 0
        self._pending: list[Pending] = []
        self._held = 0
        self._routes: dict[RouteRuntime, RouteUsage] = {}
        self._seen_document: Mapping[str, Any] | None = None
        self._paths = BodyPaths(lambda schema: schema)
        self._task: asyncio.Task[None] | None = None

    def observe(
        self,
        rt: RouteRuntime,
        scope: MutableMapping[str, Any],
        status: int,
        client: str | None,
        body: bytes | None,
    ) -> None:
        """The hot-path hook: keep references, decide nothing else."""
        pending = self._pending
        if len(pending) >= self.config.max_pending:
            self.lost += 1
            return
        if body is not None:
            if len(body) > self.config.inspect_limit or self._held > self.config.max_held:
                body = None
            else:
                self._held += len(body)
        pending.append((rt, scope["query_string"], scope["headers"], status, client, body))

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="specfirst-usage-flush")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()
        await self.store.close()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.config.flush_interval)
            await self.flush()

    async def flush(self) -> None:
        """Count what is pending and write it as one batch.

        Requests alike in everything recorded (route, query string, the headers
        that matter, status, client, body) are grouped first and reduced to
        names once per group: most traffic repeats itself."""
        pending, self._pending, self._held = self._pending, [], 0
        if self.lost:
            log.warning("usage: %d requests were not recorded (recorder queue full)", self.lost)
            self.lost = 0
        if not pending:
            return
        self._refresh()
        groups: dict[tuple[Any, ...], int] = {}
        for index, (rt, query, headers, status, client, body) in enumerate(pending):
            if index % _YIELD_EVERY == _YIELD_EVERY - 1:
                await asyncio.sleep(0)  # other requests go first
            info = self._route(rt)
            watched = info.watched
            relevant = tuple((n, v) for n, v in headers if n in watched)
            key = (info, query, relevant, status, client, body)
            groups[key] = groups.get(key, 0) + 1
        day = self.today()
        batch: dict[tuple[str, str], dict[str, int]] = {}
        for group, count in groups.items():
            fields = batch.setdefault((day, group[0].key), {})
            for name in increments(self._observation(group)):
                fields[name] = fields.get(name, 0) + count
        try:
            await self.store.add(batch)
        except Exception as exc:  # best-effort: never fail the gateway over usage
            log.warning("usage: a batch of %d requests was lost: %s", len(pending), exc)

    def _refresh(self) -> None:
        """After a reload the routes and schemas are new: forget the old ones."""
        document = self.document() or {}
        if document is not self._seen_document:
            self._seen_document = document
            self._routes.clear()
            self._paths = BodyPaths(local_resolver(document), self.config.max_properties)

    def _route(self, rt: RouteRuntime) -> RouteUsage:
        info = self._routes.get(rt)
        if info is None:
            document = self._seen_document or {}
            info = self._routes[rt] = route_usage(rt.route, document, self._paths.resolve)
        return info

    def _observation(self, group: tuple[Any, ...]) -> Observation:
        """One group of alike requests reduced to names: (route, query string,
        relevant headers, status, client, body)."""
        info, query, headers, status, client, body = group
        present: list[str] = []
        content_type = ""
        sent_body = False
        for name, value in headers:
            declared = info.headers.get(name)
            if declared is not None:
                present.append(declared)
            if name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"transfer-encoding" or (name == b"content-length" and value != b"0"):
                sent_body = True
        media: str | None = None
        properties: list[str] = []
        unread = False
        if sent_body or body:
            media = media_type(content_type) or UNDECLARED_MEDIA
            if media not in info.media:
                media = UNDECLARED_MEDIA
            found = self._properties(info, media, body)
            unread = found is None
            properties = found or []
        return Observation(status, client, _query_names(info, query), present, media,
                           properties, unread)  # fmt: skip

    def _properties(self, info: RouteUsage, media: str, body: bytes | None) -> list[str] | None:
        """The body's folded pointers; None when they cannot be known."""
        schema = info.media.get(media)
        if body is None or schema is None or not media.endswith("json"):
            return None
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        return self._paths.paths(parsed, schema)


def _query_names(info: RouteUsage, query: bytes) -> list[str]:
    """Declared query parameters present; any other name is ``*`` (undeclared
    names are the client's choice and are not recorded)."""
    if not query:
        return []
    names: list[str] = []
    for part in query.split(b"&"):
        raw = part.split(b"=", 1)[0]
        if not raw:
            continue
        name = unquote_plus(raw.decode("latin-1"))
        names.append(name if name in info.query else UNDECLARED)
    return names
