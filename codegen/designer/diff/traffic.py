"""Judge breaking changes against live usage (``specfirst diff --usage``).

Each breaking or potentially breaking change has a
:class:`codegen.designer.diff.model.Subject`; the usage snapshot
(:mod:`codegen.core.usage.snapshot`) says how many requests, from how many
clients, that subject saw. What counts as the traffic a change would break:

* an operation, or a response, security or operationId change: every request;
* a parameter (removed, moved, retyped, narrowed): the requests that sent it;
  made or added *required*: the requests that did not send it;
* a request body property: the requests whose body held it; made or added
  *required*: the bodies that held its parent but not it;
* the request body, or one of its media types: the requests that sent one
  (made required: the requests without one).

Operations match by method and path shape (``/orders/{id}`` is
``/orders/{orderId}``), in the service named by ``--usage-service``, else the
spec file's name when the snapshot has that service, else in every service.
A count of zero is only "unused" when nothing was lost: if the operation hit
its field cap or some bodies could not be read, the verdict is *unknown*, and
unknown counts as used for ``--fail-on used-breaking``.

Example: removing query parameter ``sort`` of ``GET /products`` sent by 1,204
requests of 3 clients → ``Traffic(1204, 3, ...)`` whose text is "used by 1,204
requests from 3 clients in the last 30 days".
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from codegen.core.usage.fields import ItemCounts, OperationCounts
from codegen.core.usage.snapshot import OperationUsage, UsageSnapshot
from codegen.designer.diff.catalogue import Level
from codegen.designer.diff.model import Change, Subject
from codegen.designer.lint.rules.paths import template_shape


class Verdict(enum.StrEnum):
    USED = "used"
    UNUSED = "unused"
    UNKNOWN = "unknown"  # no recorded use, but some usage was not recorded


@dataclass(frozen=True, slots=True)
class Traffic:
    requests: int
    clients: int
    days: int
    uncertain: str = ""  # why zero requests does not prove the subject unused

    @property
    def verdict(self) -> Verdict:
        if self.requests:
            return Verdict.USED
        return Verdict.UNKNOWN if self.uncertain else Verdict.UNUSED

    @property
    def blocks(self) -> bool:
        """Whether a breaking change with this traffic fails ``used-breaking``."""
        return self.verdict is not Verdict.UNUSED

    def text(self) -> str:
        """``used by 1,204 requests from 3 clients in the last 30 days``."""
        days = days_text(self.days)
        if self.verdict is Verdict.UNUSED:
            return f"unused in {days}"
        if self.verdict is Verdict.UNKNOWN:
            return f"no recorded use in {days}, but {self.uncertain}"
        plural = "s" if self.requests != 1 else ""
        if self.clients:
            who = f"from {self.clients:,} client{'s' if self.clients != 1 else ''}"
        else:
            who = "(none with a client id)"
        return f"used by {self.requests:,} request{plural} {who} in the last {days}"


def days_text(days: int) -> str:
    """``1 day``, ``30 days``."""
    return f"{days} day{'s' if days != 1 else ''}"


def annotate(
    changes: Sequence[Change], snapshot: UsageSnapshot, service: str | None = None
) -> list[Traffic | None]:
    """The traffic of each breaking or potentially breaking change (None for the rest)."""
    return [
        assess(change, snapshot, service) if change.level >= Level.POTENTIALLY_BREAKING else None
        for change in changes
    ]


def assess(change: Change, snapshot: UsageSnapshot, service: str | None = None) -> Traffic:
    subject = change.subject
    if subject is None:  # a change of the whole document: everything it serves
        subject = Subject("*", "*")
    ops = _operations(snapshot, subject, service or _service_of(change, snapshot, subject))
    total = _Tally()
    for op in ops:
        total.add(op.counts, subject)
    return Traffic(total.requests, len(total.clients), snapshot.days, total.uncertain())


def _service_of(change: Change, snapshot: UsageSnapshot, subject: Subject) -> str | None:
    """The spec file's name, when the snapshot knows a service of that name."""
    known = {op.key.service for op in snapshot.operations}
    if subject.service is not None:
        return subject.service
    for location in (change.old, change.new):
        if location is not None:
            stem = PurePosixPath(location.file.rsplit(":", 1)[-1]).stem
            if stem in known:
                return stem
    return None


def _operations(
    snapshot: UsageSnapshot, subject: Subject, service: str | None
) -> list[OperationUsage]:
    shape = template_shape(subject.path)
    return [
        op
        for op in snapshot.operations
        if (service is None or op.key.service == service)
        and subject.method in ("*", op.key.method)
        and (subject.path == "*" or template_shape(op.key.path) == shape)
    ]


class _Tally:
    """Requests and distinct clients summed over the matching operations."""

    def __init__(self) -> None:
        self.requests = 0
        self.clients: set[str] = set()
        self.dropped = 0
        self.unread = 0

    def add(self, counts: OperationCounts, subject: Subject) -> None:
        self.dropped += counts.dropped
        kind = subject.kind
        if kind == "parameter" and subject.location in ("query", "header"):
            item = counts.items[subject.location].get(subject.name, ItemCounts())
            self._item(counts.requests, counts.clients, item, subject.absent)
        elif kind == "property":
            self.unread += counts.unread
            item = counts.items["body"].get(subject.name, ItemCounts())
            if subject.absent:
                parent = _parent(subject.name)
                base = (
                    counts.items["body"].get(parent, ItemCounts())
                    if parent
                    else ItemCounts(counts.with_body, counts.body_clients)
                )
                self._item(base.requests, base.clients, item, True)
            else:
                self._item(counts.requests, counts.clients, item, False)
        elif kind == "media":
            item = counts.items["media"].get(subject.name, ItemCounts())
            self._item(counts.requests, counts.clients, item, subject.absent)
        elif kind == "body":
            body = ItemCounts(counts.with_body, counts.body_clients)
            self._item(counts.requests, counts.clients, body, subject.absent)
        else:  # the operation, a path or cookie parameter: every request
            self.requests += counts.requests
            self.clients.update(counts.clients)

    def _item(self, requests: int, clients: dict[str, int], item: ItemCounts, absent: bool) -> None:
        if not absent:
            self.requests += item.requests
            self.clients.update(c for c, n in item.clients.items() if n)
            return
        self.requests += max(0, requests - item.requests)
        self.clients.update(c for c, n in clients.items() if n > item.clients.get(c, 0))

    def uncertain(self) -> str:
        if self.requests:
            return ""
        if self.dropped:
            return f"{self.dropped:,} observations were dropped at the usage field cap"
        if self.unread:
            return f"{self.unread:,} request bodies could not be inspected"
        return ""


def _parent(name: str) -> str:
    """``/lines/-/sku`` → ``/lines/-``; ``/name`` → ``""`` (the body itself)."""
    return name.rsplit("/", 1)[0]
