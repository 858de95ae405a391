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

    @property
    def marker(self) -> str:
        """The suffix as written, with its ``#``/``?`` (``""`` when none)."""
        return self.key[len(self.template) :]


def split_key(key: str) -> PathKey:
    """Split a path key at its first ``#`` or ``?`` (see the module docstring)."""
    found = _SUFFIX_START.search(key)
    if found is None:
        return PathKey(key, key)
    pairs: list[tuple[str, str | None]] = []
    for part in key[found.end() :].split("&"):
        name, equals, value = part.partition("=")
        if not name:
            continue
        templated = "{" in value or not equals
        pairs.append((name, None if templated else value))
    return PathKey(key, key[: found.start()], tuple(pairs))
