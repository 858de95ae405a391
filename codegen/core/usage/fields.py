"""The flat counter fields one operation's usage is stored as, for one day.

The gateway writes them (a Redis hash, or SQLite rows) and the exporter reads
them back; this module is the one codec both use. One field is one counter:

``n``                    requests answered
``B``                    requests that carried a body
``!``                    observations dropped because the operation hit its field cap
``u``                    request bodies whose properties were not read (too large, streamed,
                         not JSON, or no schema): their properties are unknown
``s:<status>``           requests answered with that status
``m:<media type>``       request bodies of that media type
``q:<name>``, ``h:<name>``  requests in which that query / header parameter was present
``b:<pointer>``          request bodies in which that property was present
``c:<client>``           requests made with that client id's credentials
``<item>\\x1f<client>``   the same item (``q:``, ``h:``, ``b:``, ``m:`` or ``B``) by one client

Names only, never values. Example: a request ``GET /products?sort=name`` by
client ``web`` answered 200 → ``{"n": 1, "s:200": 1, "q:sort": 1, "c:web": 1,
"q:sort\\x1fweb": 1}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

REQUESTS = "n"
BODY = "B"
DROPPED = "!"
UNREAD = "u"
STATUS = "s:"
MEDIA = "m:"
QUERY = "q:"
HEADER = "h:"
PROPERTY = "b:"
CLIENT = "c:"
BY = "\x1f"  # item BY client

# The item kinds a diff asks about, by their field prefix.
ITEM_KINDS: dict[str, str] = {QUERY: "query", HEADER: "header", PROPERTY: "body", MEDIA: "media"}


@dataclass(frozen=True, slots=True)
class Observation:
    """One answered request, reduced to names (what :func:`increments` counts)."""

    status: int
    client: str | None = None
    query: Iterable[str] = ()
    headers: Iterable[str] = ()
    media_type: str | None = None  # set when the request carried a body
    properties: Iterable[str] = ()  # JSON pointers, folded (codegen.core.usage.body)
    unread: bool = False  # a body was sent but its properties are unknown


def increments(observation: Observation) -> list[str]:
    """The fields one observation adds 1 to, most important first (a capped
    store keeps the first fields it sees: totals and statuses before details)."""
    fields = [REQUESTS, f"{STATUS}{observation.status}"]
    items = [QUERY + name for name in dict.fromkeys(observation.query)]
    items += [HEADER + name for name in dict.fromkeys(observation.headers)]
    if observation.media_type is not None:
        items += [BODY, MEDIA + observation.media_type]
        items += [PROPERTY + pointer for pointer in dict.fromkeys(observation.properties)]
        if observation.unread:
            fields.append(UNREAD)
    fields += items
    client = observation.client
    if client:
        fields.append(CLIENT + client)
        fields += [f"{item}{BY}{client}" for item in items]
    return fields


@dataclass
class ItemCounts:
    """How often one item (a parameter, a property, a media type) was present."""

    requests: int = 0
    clients: dict[str, int] = field(default_factory=dict)


@dataclass
class OperationCounts:
    """The decoded fields of one operation, summed over any number of days."""

    requests: int = 0
    with_body: int = 0
    dropped: int = 0
    unread: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    clients: dict[str, int] = field(default_factory=dict)
    items: dict[str, dict[str, ItemCounts]] = field(
        default_factory=lambda: {kind: {} for kind in ITEM_KINDS.values()}
    )
    body_clients: dict[str, int] = field(default_factory=dict)

    def add(self, fields: Mapping[str, int]) -> None:
        """Sum one day's fields in. Unknown fields (a newer gateway's) are ignored."""
        for name, count in fields.items():
            item, _, client = name.partition(BY)
            if client:
                self._add_client(item, client, count)
            elif name == REQUESTS:
                self.requests += count
            elif name == BODY:
                self.with_body += count
            elif name == DROPPED:
                self.dropped += count
            elif name == UNREAD:
                self.unread += count
            elif name.startswith(STATUS):
                _bump(self.statuses, name[len(STATUS) :], count)
            elif name.startswith(CLIENT):
                _bump(self.clients, name[len(CLIENT) :], count)
            elif (kind := ITEM_KINDS.get(name[:2])) is not None:
                self._item(kind, name[2:]).requests += count

    def _add_client(self, item: str, client: str, count: int) -> None:
        if item == BODY:
            _bump(self.body_clients, client, count)
        elif (kind := ITEM_KINDS.get(item[:2])) is not None:
            _bump(self._item(kind, item[2:]).clients, client, count)

    def _item(self, kind: str, name: str) -> ItemCounts:
        found = self.items[kind].get(name)
        if found is None:
            found = self.items[kind][name] = ItemCounts()
        return found


def _bump(counts: dict[str, int], key: str, count: int) -> None:
    counts[key] = counts.get(key, 0) + count
