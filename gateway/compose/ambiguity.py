"""Find templates that can match the same path with equal precedence.

The trie orders dynamic segments by rank (:mod:`codegen.core.routing.kinds`), so two
templates are only ambiguous when, at every position, their segments have
the same rank and can both match one value. Identical shapes are caught when
the trie is built; this module finds the rest, which only ranks 1 (enum) and
3 (partial segment) can produce:

* two enums whose value sets overlap (``{color: [red, blue]}`` vs ``[blue]``);
* two partial segments with as many literal characters (more literal
  characters come first) whose literal prefixes and suffixes are compatible
  (``x{n}.gz`` vs ``{n}y.gz`` both match ``xay.gz``; ``{name}.json`` vs
  ``{name}.xml`` never meet, and ``{name}.tar.gz`` comes before ``{name}.gz``).

Templates are grouped by everything that must be equal (literals, typed and
plain parameters), so the pairwise check only runs inside tiny groups.

Example: ``/files/x{n}.gz`` and ``/files/{m}y.gz`` → one pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import combinations

from codegen.core.routing.kinds import RANK_ENUM, RANK_PARTIAL
from codegen.core.routing.templates import CompiledPath, Segment


def _group_key(path: CompiledPath) -> tuple[tuple[str, ...], ...]:
    """Partial segments with more literal characters come first
    (:attr:`~codegen.core.routing.templates.Segment.order`): only those with
    as many can be tied."""
    return tuple(
        (str(s.rank), str(s.order[1])) if s.rank in (RANK_ENUM, RANK_PARTIAL) else s.shape
        for s in path.segments
    )


def _compatible(first: str, second: str, at_end: bool) -> bool:
    if at_end:
        return first.endswith(second) or second.endswith(first)
    return first.startswith(second) or second.startswith(first)


def _may_meet(a: Segment, b: Segment) -> bool:
    if a.shape == b.shape:
        return True
    if a.kind is not None and b.kind is not None:
        return bool(a.kind.values & b.kind.values)
    literals_a, literals_b = a.literals, b.literals
    return _compatible(literals_a[0], literals_b[0], at_end=False) and _compatible(
        literals_a[-1], literals_b[-1], at_end=True
    )


def overlapping(paths: Iterable[CompiledPath]) -> Iterator[tuple[CompiledPath, CompiledPath]]:
    """Pairs of distinct-shape templates that some path matches equally well."""
    groups: dict[tuple[tuple[str, ...], ...], list[CompiledPath]] = {}
    for path in paths:
        group = groups.setdefault(_group_key(path), [])
        if all(existing.shape != path.shape for existing in group):
            group.append(path)
    for group in groups.values():
        for a, b in combinations(group, 2):
            if all(_may_meet(x, y) for x, y in zip(a.segments, b.segments, strict=True)):
                yield a, b
