"""Path keys that carry a disambiguator: ``/tags/{arn}#tagKeys``, ``/items?action=archive``.

Some providers tell apart operations that share a method and a path by
writing a suffix into the path key: ``#`` or ``?`` followed by
``name[=value]`` parts joined with ``&``. A request never contains the
suffix: the key is routed on the part before it (:attr:`PathKey.template`),
and the suffix names the query or header parameters that select the
operation (:mod:`.select`).

Example::

    >>> key = split_key("/#Action=AssumeRole&Version")
    >>> key.template, key.suffix
    ('/', (('Action', 'AssumeRole'), ('Version', None)))
    >>> split_key("/alerts?lat={lat}").suffix
    (('lat', None),)
    >>> split_key("/items/{id}").suffix
    ()

A parameter declared ``in: path`` that the template lacks but the suffix
gives a templated value (``/alerts?lat={lat}``, a URI template's query part)
is read from the query (:meth:`PathKey.location_of`): that is the only place
a request can carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUFFIX_START = re.compile(r"[#?]")


@dataclass(frozen=True, slots=True)
class PathKey:
    """A path key split into the routed template and its suffix.

    ``suffix`` holds ``(name, value)`` pairs; ``value`` is ``None`` for a
    bare name or a templated value (``lat={lat}``), which only asks for the
    parameter to be present."""

    key: str
    template: str
    suffix: tuple[tuple[str, str | None], ...] = ()
    templated: frozenset[str] = frozenset()  # names written ``name={name}`` in the suffix

    @property
    def marker(self) -> str:
        """The suffix as written, with its ``#``/``?`` (``""`` when none)."""
        return self.key[len(self.template) :]

    def location_of(self, name: str, declared: str) -> str:
        """Where a parameter declared ``in: declared`` is read from: the query
        for a path parameter that only the suffix names (``?lat={lat}``).

        >>> key = split_key("/alerts/{area}?lat={lat}")
        >>> key.location_of("lat", "path"), key.location_of("area", "path")
        ('query', 'path')
        """
        if declared == "path" and name in self.templated and f"{{{name}}}" not in self.template:
            return "query"
        return declared


def split_key(key: str) -> PathKey:
    """Split a path key at its first ``#`` or ``?`` (see the module docstring)."""
    found = _SUFFIX_START.search(key)
    if found is None:
        return PathKey(key, key)
    pairs: list[tuple[str, str | None]] = []
    templated: set[str] = set()
    for part in key[found.end() :].split("&"):
        name, equals, value = part.partition("=")
        if not name:
            continue
        if value == f"{{{name}}}":
            templated.add(name)
        pairs.append((name, None if "{" in value or not equals else value))
    return PathKey(key, key[: found.start()], tuple(pairs), frozenset(templated))
