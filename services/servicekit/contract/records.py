"""Typed request bodies: a validated body ``dict`` -> the generated frozen dataclasses.

A generated ``bodies.py`` declares one ``@dataclass(frozen=True, slots=True,
kw_only=True)`` per request object schema, each a :class:`Record`. The declarations
are all it holds: how a member is built is read from its annotation, here, once per
class, so the rule lives in one module and generated code stays declarations only.

==========================================  ==========================================
member annotation                           the validated value becomes
==========================================  ==========================================
``X | Absent = ABSENT``                     ``ABSENT`` when not sent (never ``None``)
``X | None``                                ``None`` for a sent ``null``
a :class:`Record` subclass                  that class, built from the nested object
``tuple[X, ...]``                           a tuple, each item built as ``X``
``Annotated[A | B, OneOf("kind", ...)]``    the class the discriminator value names
anything else                               the value as validated (already converted
                                            by :mod:`servicekit.contract.formats`)
==========================================  ==========================================

A member whose JSON key is not its Python name says so in its field's metadata
(``dataclasses.field(metadata={KEY: "2fa"})``). The body was validated first, by JSON
Schema's rules; building never validates again, so the two can never disagree.
:func:`plain` turns a record back into the JSON-shaped ``dict`` (for a fingerprint or a
log line).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Literal, Self

KEY: Final = "json"  # field metadata: the member's JSON key, where it differs


class Absent(enum.Enum):
    """Marks a member the request did not send; ``None`` is a sent ``null``."""

    ABSENT = "ABSENT"

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> Literal[False]:
        return False


ABSENT: Final = Absent.ABSENT

Convert = Callable[[Any], Any]
# (python name, JSON key, converter or None for "as validated"), per member.
Plan = tuple[tuple[str, str, Convert | None], ...]


class Record:
    """The base of every generated body class: :meth:`build` from a validated dict."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @classmethod
    def build(cls, value: Mapping[str, Any]) -> Self:
        """``Product.build({"sku": "A", "tags": ["x"]})`` -> ``Product(sku="A", tags=("x",))``."""
        plan = _PLANS.get(cls) or _plan(cls)
        members = {
            name: value[key] if convert is None else convert(value[key])
            for name, key, convert in plan
            if key in value
        }
        return cls(**members)


@dataclass(frozen=True, slots=True)
class OneOf:
    """A discriminated ``oneOf``/``anyOf``: the discriminator value names the class."""

    property_name: str
    classes: Mapping[str, type[Record]]

    def __call__(self, value: Mapping[str, Any]) -> Record:
        return self.classes[value[self.property_name]].build(value)

    def __hash__(self) -> int:
        """``typing`` hashes ``Annotated`` metadata when the alias joins a union
        (an optional body: ``bodies.Vehicle | None``)."""
        return hash((self.property_name, tuple(self.classes.items())))


_PLANS: dict[type[Record], Plan] = {}
_NONE = type(None)


def _plan(cls: type[Record]) -> Plan:
    """Read ``cls``'s members once (lazily: recursive schemas refer to themselves)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    plan = tuple(
        (f.name, f.metadata.get(KEY, f.name), builder(hints[f.name]))
        for f in dataclasses.fields(cls)
    )
    _PLANS[cls] = plan
    return plan


def _nullable(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


def _items(convert: Convert | None) -> Convert:
    if convert is None:
        return tuple
    return lambda value: tuple(map(convert, value))


def builder(annotation: Any) -> Convert | None:
    """How to build a validated value of ``annotation``; ``None``: keep it as it is."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        one_of = next((m for m in annotation.__metadata__ if isinstance(m, OneOf)), None)
        return one_of or builder(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        rest = [a for a in args if a not in (Absent, _NONE)]
        if len(rest) != 1:
            return None
        convert = builder(rest[0])
        return _nullable(convert) if convert is not None and _NONE in args else convert
    if origin is tuple:
        return _items(builder(typing.get_args(annotation)[0]))
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation.build
    return None


@typing.overload
def plain(value: Record) -> dict[str, Any]: ...
@typing.overload
def plain(value: object) -> Any: ...
def plain(value: Any) -> Any:
    """A record as the JSON-shaped value it was built from: members by JSON key,
    absent ones left out, tuples as lists. Anything else is returned as it is."""
    if isinstance(value, Record):
        return {
            f.metadata.get(KEY, f.name): plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not ABSENT
        }
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    return value
