"""Choosing among operations that share a method and a path, by query or header.

``GET /tags/{arn}#tagKeys`` and ``GET /tags/{arn}`` route to one path; the
first is selected when the request has the query parameter ``tagKeys``.
``POST /#X-Amz-Target=S3.ListBuckets`` is selected by the header
``X-Amz-Target: S3.ListBuckets``. A suffix part becomes a :class:`Condition`
only when the operation requires a query or header parameter of that name
(:func:`selector_for`); other parts select nothing.

Order (:class:`Dispatch`): operations with more conditions first, then in
declaration order; the first whose conditions all hold is chosen, so an
operation without conditions is the fallback. When none holds, the request
is refused with 400 and :meth:`Unselected.detail` says which parameter is
missing. Two operations with equal conditions cannot be told apart: the
first declared is kept (:meth:`Dispatch.add` returns it).

Example::

    >>> d: Dispatch[str] = Dispatch()
    >>> d.add(selector_for((("Action", "Get"),), [("query", "Action")]), "get")
    >>> d.add(selector_for((("Action", "Put"),), [("query", "Action")]), "put")
    >>> d.choose(lambda name: ["Put"] if name == "Action" else [], lambda name: None)
    'put'
    >>> d.choose(lambda name: [], lambda name: None).detail("GET", "/")
    "GET / needs the query parameter 'Action' (one of: Get, Put)"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
QueryLookup = Callable[[str], Sequence[str]]  # name -> every value sent
HeaderLookup = Callable[[str], "str | None"]  # lower-case name -> value
MAX_LISTED_VALUES = 8


@dataclass(frozen=True, slots=True, order=True)
class Condition:
    """A query (``where="query"``) or header parameter that must be sent,
    with ``value`` when it must have that value; header names are lower case."""

    where: str
    name: str
    value: str | None = None

    def holds(self, query: QueryLookup, header: HeaderLookup) -> bool:
        if self.where == "query":
            values: Sequence[str] = query(self.name)
        else:
            found = header(self.name)
            values = () if found is None else (found.strip(),)
        if self.value is None:
            return bool(values)
        return self.value in values

    def describe(self) -> str:
        kind = "query parameter" if self.where == "query" else "header"
        return f"the {kind} {self.name!r}"


Selector = tuple[Condition, ...]


def selector_for(
    suffix: Iterable[tuple[str, str | None]], required: Iterable[tuple[str, str]]
) -> Selector:
    """The conditions of a path key suffix (:func:`.keys.split_key`), given the
    operation's required ``(location, name)`` parameters: a part counts only
    when it names a required query parameter (exact name) or header (any case).

    >>> selector_for([("tagKeys", None), ("note", None)], [("query", "tagKeys")])
    (Condition(where='query', name='tagKeys', value=None),)
    """
    needed = list(required)
    query = {name for where, name in needed if where == "query"}
    headers = {name.lower() for where, name in needed if where == "header"}
    found: set[Condition] = set()
    for name, value in suffix:
        if name in query:
            found.add(Condition("query", name, value))
        elif name.lower() in headers:
            found.add(Condition("header", name.lower(), value))
    return tuple(sorted(found, key=lambda c: (c.where, c.name, c.value or "")))


@dataclass(frozen=True, slots=True)
class Unselected:
    """No operation's conditions hold; ``missing`` lists every condition of
    the candidates, so the answer can say what to send."""

    missing: tuple[Condition, ...]

    def detail(self, method: str, template: str) -> str:
        """``"DELETE /tags/{arn} needs the query parameter 'tagKeys'"``."""
        values: dict[tuple[str, str], list[str]] = {}
        for condition in self.missing:
            listed = values.setdefault((condition.where, condition.name), [])
            if condition.value is not None and condition.value not in listed:
                listed.append(condition.value)
        parts = []
        for (where, name), listed in values.items():
            text = Condition(where, name).describe()
            if listed:
                shown = ", ".join(listed[:MAX_LISTED_VALUES])
                more = len(listed) - MAX_LISTED_VALUES
                text += f" (one of: {shown}{f' and {more} more' if more > 0 else ''})"
            parts.append(text)
        return f"{method} {template} needs " + " or ".join(parts)

    def names(self) -> list[dict[str, str]]:
        """``[{"in": "query", "name": "tagKeys"}]``: the problem's ``missing`` member."""
        seen = dict.fromkeys((c.where, c.name) for c in self.missing)
        return [{"in": where, "name": name} for where, name in seen]


class Dispatch(Generic[T]):
    """The operations of one method on one path, chosen by their selectors.

    Lookups are indexed by value (hundreds of ``#Action=...`` operations on
    ``/`` cost one dict lookup, not a scan)."""

    __slots__ = ("_candidates", "_index", "_rest")

    def __init__(self) -> None:
        self._candidates: list[tuple[Selector, T]] = []
        self._index: dict[tuple[str, str], dict[str, list[int]]] = {}
        self._rest: list[int] = []

    @property
    def routes(self) -> list[tuple[Selector, T]]:
        """``(selector, route)`` in the order they are tried."""
        return list(self._candidates)

    def add(self, selector: Selector, route: T) -> T | None:
        """Add ``route``; when an earlier route has the same selector, keep
        that one and return it (``route`` is unreachable)."""
        for existing, other in self._candidates:
            if existing == selector:
                return other
        self._candidates.append((selector, route))
        self._candidates.sort(key=lambda entry: -len(entry[0]))  # stable: declaration order
        self._reindex()
        return None

    def _reindex(self) -> None:
        self._index = {}
        self._rest = []
        for position, (selector, _) in enumerate(self._candidates):
            keyed = next((c for c in selector if c.value is not None), None)
            if keyed is None:
                self._rest.append(position)
            else:
                by_value = self._index.setdefault((keyed.where, keyed.name), {})
                by_value.setdefault(keyed.value or "", []).append(position)

    def choose(self, query: QueryLookup, header: HeaderLookup) -> T | Unselected:
        """The first route whose conditions all hold, else :class:`Unselected`."""
        best = len(self._candidates)
        for (where, name), by_value in self._index.items():
            if where == "query":
                sent: Sequence[str] = query(name)
            else:
                found = header(name)
                sent = () if found is None else (found.strip(),)
            for value in sent:
                for position in by_value.get(value, ()):
                    if position < best and self._holds(position, query, header):
                        best = position
        for position in self._rest:
            if position >= best:
                break
            if self._holds(position, query, header):
                best = position
                break
        if best < len(self._candidates):
            return self._candidates[best][1]
        return Unselected(tuple(c for selector, _ in self._candidates for c in selector))

    def _holds(self, position: int, query: QueryLookup, header: HeaderLookup) -> bool:
        return all(c.holds(query, header) for c in self._candidates[position][0])
