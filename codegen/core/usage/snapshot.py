"""The portable usage snapshot: ``specfirst usage export`` writes it, ``specfirst
diff --usage`` reads it. JSON, versioned (docs/usage.md has the schema)::

    {"format": "specfirst-usage", "version": 1,
     "generated": "2026-12-03T07:40:00Z", "since": "2026-11-04", "until": "2026-12-03",
     "days": 30,
     "operations": [
       {"service": "catalog", "method": "GET", "path": "/products",
        "operationId": "listProducts", "requests": 1204, "with_body": 0, "dropped": 0, "unread": 0,
        "statuses": {"200": 1200, "400": 4},
        "clients": {"web": 1000, "ios": 200},
        "body_clients": {},
        "query": {"sort": {"requests": 1204, "clients": {"web": 1000, "ios": 200}}},
        "header": {}, "body": {}, "media": {}}]}

A reader refuses another ``format``, a newer ``version`` and a malformed
document with :class:`SnapshotError`, naming the JSON pointer at fault.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.core.usage.fields import ITEM_KINDS, ItemCounts, OperationCounts

FORMAT = "specfirst-usage"
VERSION = 1
KINDS = tuple(ITEM_KINDS.values())  # query, header, body, media


class SnapshotError(ValueError):
    """The snapshot cannot be read; the message names the place."""


@dataclass(frozen=True, slots=True)
class OperationKey:
    """An operation as its service declares it (no gateway prefix)."""

    service: str
    method: str  # upper case
    path: str  # the service spec's path template

    def encode(self) -> str:
        """``catalog GET /products``: the store's name for it."""
        return f"{self.service} {self.method} {self.path}"

    @classmethod
    def decode(cls, text: str) -> OperationKey:
        service, method, path = text.split(" ", 2)
        return cls(service, method, path)


@dataclass
class OperationUsage:
    key: OperationKey
    operation_id: str | None
    counts: OperationCounts


@dataclass
class UsageSnapshot:
    since: dt.date
    until: dt.date
    generated: dt.datetime
    operations: list[OperationUsage] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "generated": self.generated.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "days": self.days,
            "operations": [_operation_json(op) for op in self.operations],
        }


def _operation_json(op: OperationUsage) -> dict[str, Any]:
    counts = op.counts
    out: dict[str, Any] = {
        "service": op.key.service,
        "method": op.key.method,
        "path": op.key.path,
        "operationId": op.operation_id,
        "requests": counts.requests,
        "with_body": counts.with_body,
        "dropped": counts.dropped,
        "unread": counts.unread,
        "statuses": dict(sorted(counts.statuses.items())),
        "clients": dict(sorted(counts.clients.items())),
        "body_clients": dict(sorted(counts.body_clients.items())),
    }
    for kind in KINDS:
        out[kind] = {
            name: {"requests": item.requests, "clients": dict(sorted(item.clients.items()))}
            for name, item in sorted(counts.items[kind].items())
        }
    return out


def read_snapshot(data: Any) -> UsageSnapshot:
    """A snapshot from its parsed JSON; :class:`SnapshotError` if it is not one."""
    root = _object(data, "")
    if root.get("format") != FORMAT:
        raise SnapshotError(f"not a usage snapshot: /format must be {FORMAT!r}")
    version = root.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise SnapshotError(
            f"/version {version!r} is not supported (this specfirst reads up to {VERSION})"
        )
    snapshot = UsageSnapshot(
        since=_date(root, "since"), until=_date(root, "until"), generated=_time(root)
    )
    operations = root.get("operations")
    if not isinstance(operations, list):
        raise SnapshotError("/operations must be an array")
    for index, raw in enumerate(operations):
        snapshot.operations.append(_operation(raw, f"/operations/{index}"))
    return snapshot


def _operation(raw: Any, at: str) -> OperationUsage:
    op = _object(raw, at)
    names = {}
    for name in ("service", "method", "path"):
        value = op.get(name)
        if not isinstance(value, str) or not value:
            raise SnapshotError(f"{at}/{name} must be a non-empty string")
        names[name] = value
    operation_id = op.get("operationId")
    counts = OperationCounts(
        requests=_count(op, "requests", at),
        with_body=_count(op, "with_body", at),
        dropped=_count(op, "dropped", at),
        unread=_count(op, "unread", at),
        statuses=_counts(op.get("statuses", {}), f"{at}/statuses"),
        clients=_counts(op.get("clients", {}), f"{at}/clients"),
        body_clients=_counts(op.get("body_clients", {}), f"{at}/body_clients"),
    )
    for kind in KINDS:
        items = _object(op.get(kind, {}), f"{at}/{kind}")
        for name, item in items.items():
            where = f"{at}/{kind}/{name.replace('~', '~0').replace('/', '~1')}"
            body = _object(item, where)
            counts.items[kind][name] = ItemCounts(
                _count(body, "requests", where), _counts(body.get("clients", {}), where)
            )
    key = OperationKey(names["service"], names["method"].upper(), names["path"])
    return OperationUsage(key, operation_id if isinstance(operation_id, str) else None, counts)


def _object(value: Any, at: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise SnapshotError(f"{at or '/'} must be an object")
    return value


def _count(op: Mapping[str, Any], name: str, at: str) -> int:
    value = op.get(name, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SnapshotError(f"{at}/{name} must be a non-negative integer")
    return value


def _counts(value: Any, at: str) -> dict[str, int]:
    counts = _object(value, at)
    return {str(key): _count(counts, key, at) for key in counts}


def _date(root: Mapping[str, Any], name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(root.get(name)))
    except ValueError:
        raise SnapshotError(f"/{name} must be a date (YYYY-MM-DD)") from None


def _time(root: Mapping[str, Any]) -> dt.datetime:
    try:
        return dt.datetime.strptime(str(root.get("generated")), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=dt.UTC
        )
    except ValueError:
        raise SnapshotError("/generated must be a UTC time (YYYY-MM-DDTHH:MM:SSZ)") from None
