"""Strictness as policy: which query strings an operation refuses, one rule for every door.

The services (:mod:`servicekit.contract.params`), ``specfirst serve`` and its mock
(they run the same runtime) and the gateway's edge validation
(:mod:`gateway.validation`) all ask :func:`query_violations`, so a query string one
of them refuses is refused by the others, with the same ``errors`` entries.

Two things a spec's parameters do not say are decided here, by the project's policy
(``[tool.specfirst.validation]``, read by :func:`validation_policy`):

* ``unknown_query``: a query key no parameter of the operation declares
  (``GET /customers?emial=a@b.example``). ``"reject"`` (the default) answers 400
  naming it; ``"ignore"`` lets it pass unread.
* ``repeated_query``: a key given more than once whose parameter takes one value
  (``limit=1&limit=2``; an exploded ``form`` array, ``ids=1&ids=2``, takes many).
  ``"reject"`` (the default) answers 400 naming it; ``"ignore"`` reads the last value.

Unknown *body* properties are the spec's to decide, not the policy's: an object
schema with ``additionalProperties: false`` refuses them, one without lets them pass
unread. Lint's SF322 asks every request-body object to say which it means.

Which keys a parameter claims follows OpenAPI's serialization styles: its own name;
``name[key]`` for ``deepObject``; for an exploded ``form`` object, its members' names
(every key no other parameter claims, when it declares no members). A path key's
suffix (``/items?action=archive``) names parameters too.

Example::

    >>> declared = (QueryParameter("limit"), QueryParameter("ids", repeatable=True))
    >>> [v.parameter for v in query_violations(["limit", "ids", "ids", "x"], declared)]
    ['x']
    >>> query_violations(["limit", "limit"], declared)[0].detail
    'This parameter takes one value; it was given 2 times.'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from codegen.core.project import ConfigError, read_specfirst_table

Action = Literal["reject", "ignore"]
ACTIONS: tuple[Action, ...] = ("reject", "ignore")
UNKNOWN_DETAIL = "This operation declares no such query parameter."
REPEATED_DETAIL = "This parameter takes one value; it was given {count} times."


@dataclass(frozen=True, slots=True)
class QueryPolicy:
    """What to do with an undeclared query key and with a repeated single-valued one."""

    unknown_query: Action = "reject"
    repeated_query: Action = "reject"


DEFAULT_POLICY = QueryPolicy()


@dataclass(frozen=True, slots=True)
class QueryParameter:
    """The facts about one declared query parameter that decide which keys it claims.

    ``members``: the property names of an exploded ``form`` object (``None`` for any
    other parameter; ``()`` for such an object that declares none, which takes every
    key no other parameter claims).
    """

    name: str
    repeatable: bool = False  # an exploded form array: one key, many values
    deep: bool = False  # deepObject: keys ``name[member]``
    members: tuple[str, ...] | None = None

    @classmethod
    def of(
        cls, name: str, *, style: str, explode: bool, kinds: Iterable[str], members: Iterable[str]
    ) -> QueryParameter:
        """From the parameter's OpenAPI ``style``/``explode`` and its schema's types."""
        kinds = tuple(kinds)
        spread = style == "form" and explode and "object" in kinds and "array" not in kinds
        return cls(
            name,
            repeatable=style == "form" and explode and "array" in kinds,
            deep=style == "deepObject",
            members=tuple(members) if spread else None,
        )


@dataclass(frozen=True, slots=True)
class QueryViolation:
    """One refused key: the ``parameter`` an ``errors`` entry names, and why."""

    parameter: str
    detail: str


def _owners(key: str, declared: Sequence[QueryParameter]) -> list[QueryParameter]:
    owners = []
    for param in declared:
        if param.members is not None:
            claimed = key in param.members
        elif param.deep:
            claimed = key.startswith(f"{param.name}[") and key.endswith("]")
        else:
            claimed = key == param.name
        if claimed:
            owners.append(param)
    return owners


def query_violations(
    keys: Iterable[str],
    declared: Sequence[QueryParameter],
    policy: QueryPolicy = DEFAULT_POLICY,
    selectors: Iterable[str] = (),
) -> list[QueryViolation]:
    """The refused keys of a query string (every key once, in order of first use).

    ``keys``: each key as often as the query string gives it (``limit=1&limit=2`` ->
    ``["limit", "limit"]``); ``selectors``: names a path key's suffix routes on.
    """
    counts = Counter(keys)
    free_form = any(param.members == () for param in declared)
    chosen = frozenset(selectors)
    found: list[QueryViolation] = []
    for key, count in counts.items():
        owners = _owners(key, declared)
        if not owners and key not in chosen:
            if policy.unknown_query == "reject" and not free_form:
                found.append(QueryViolation(key, UNKNOWN_DETAIL))
            continue
        repeatable = any(param.repeatable for param in owners)
        if count > 1 and not repeatable and policy.repeated_query == "reject":
            found.append(QueryViolation(key, REPEATED_DETAIL.format(count=count)))
    return found


def policy_from_table(table: Mapping[str, Any]) -> QueryPolicy:
    """The policy of a ``[tool.specfirst]`` table (its ``validation`` sub-table);
    raises :class:`ConfigError` for a value it does not know."""
    section = table.get("validation", {})
    if not isinstance(section, Mapping):
        raise ConfigError("[tool.specfirst.validation] must be a table")
    values: dict[str, Action] = {}
    for key in ("unknown_query", "repeated_query"):
        value = section.get(key, "reject")
        if value not in ACTIONS:
            raise ConfigError(
                f"[tool.specfirst.validation] {key} must be one of "
                f"{', '.join(repr(a) for a in ACTIONS)}, got {value!r}"
            )
        values[key] = cast(Action, value)
    unknown = sorted(set(section) - {"unknown_query", "repeated_query"})
    if unknown:
        raise ConfigError(f"[tool.specfirst.validation] has no setting {unknown[0]!r}")
    return QueryPolicy(**values)


def validation_policy(root: Path) -> QueryPolicy:
    """The policy of the project at ``root`` (the default when it configures none)."""
    table, _ = read_specfirst_table(root)
    return policy_from_table(table)
