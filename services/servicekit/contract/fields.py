"""Strict DRF fields that validate JSON exactly as JSON Schema does.

DRF's stock fields coerce (``CharField`` accepts ``123``, ``IntegerField``
accepts ``"1"``); a contract must not. :class:`JsonField` checks the JSON type
first, then every keyword that applies to that type, the way JSON Schema
applies ``minLength`` only to strings and ``minimum`` only to numbers. The
typed subclasses (:class:`String`, :class:`Integer`, ...) only fix ``types``.

``String(max_length=3).run_validation("abcd")`` raises
``ValidationError(["Ensure this value has at most 3 characters (it has 4)."])``;
``Integer().run_validation("1")`` raises ``["Must be of type integer."]``.
"""

from __future__ import annotations

import copy
import decimal
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rest_framework.exceptions import ValidationError

from codegen.core.ecma import pattern_matches
from servicekit.contract.drf_types import Field
from servicekit.contract.errors import ErrorTree, Path
from servicekit.contract.formats import (
    INTEGER_RANGES,
    check_string_format,
    python_number,
    string_output,
)
from servicekit.contract.jsonvalues import (
    first_duplicate,
    is_integral,
    json_equal,
    json_type,
    to_json,
    type_allowed,
)

if TYPE_CHECKING:
    from servicekit.contract.serializers import ContractSerializer, Registry


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()

Number_ = int | float | decimal.Decimal
"""A numeric keyword as the spec writes it (generated code passes Decimal for fractions)."""
"""Marks an absent ``const`` (``None`` is a valid const)."""


def _as_decimal(value: Any) -> decimal.Decimal:
    return value if isinstance(value, decimal.Decimal) else decimal.Decimal(repr(value))


class JsonField(Field):
    """A JSON value of the given JSON ``types`` (``()`` means any type).

    Keywords follow JSON Schema names, snake_cased. ``items`` is the field for
    array items, ``additional`` the field for object member values.
    """

    default_types: tuple[str, ...] = ()
    default_error_messages = {"null": "Must not be null."}

    def __init__(
        self,
        *,
        types: Sequence[str] | None = None,
        nullable: bool = False,
        format: str | None = None,
        enum: Sequence[Any] | None = None,
        const: Any = UNSET,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        minimum: Number_ | None = None,
        maximum: Number_ | None = None,
        exclusive_minimum: Number_ | None = None,
        exclusive_maximum: Number_ | None = None,
        multiple_of: Number_ | None = None,
        items: Field | None = None,
        min_items: int | None = None,
        max_items: int | None = None,
        unique_items: bool = False,
        additional: Field | None = None,
        min_properties: int | None = None,
        max_properties: int | None = None,
        check: Callable[[Any], list[tuple[Path, str]]] | None = None,
        output_required: bool = False,
        **kwargs: Any,
    ) -> None:
        base = tuple(self.default_types if types is None else types)
        self.types = tuple(sorted({*base, "null"})) if nullable and base else base
        self.format = format
        self.enum = None if enum is None else tuple(enum)
        self.const = const
        self.min_length, self.max_length, self.pattern = min_length, max_length, pattern
        self.minimum, self.maximum = minimum, maximum
        self.exclusive_minimum, self.exclusive_maximum = exclusive_minimum, exclusive_maximum
        self.multiple_of = multiple_of
        self.items = items
        self.min_items, self.max_items, self.unique_items = min_items, max_items, unique_items
        self.additional = additional
        self.min_properties, self.max_properties = min_properties, max_properties
        self.check = check
        self.output_required = output_required
        kwargs.setdefault("allow_null", self._null_allowed())
        super().__init__(**kwargs)

    def _null_allowed(self) -> bool:
        if self.types and "null" not in self.types:
            return False
        if self.enum is not None and not any(v is None for v in self.enum):
            return False
        return self.const is UNSET or self.const is None

    # -- input -------------------------------------------------------------

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None and self.check is not None and not self.read_only:
            return (False, None)  # the JSON Schema check must see null too
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> Any:
        if data is None and not self.allow_null:
            self.fail("null")
        if self.format == "binary" and hasattr(data, "read"):
            return data  # an uploaded file in a multipart body
        if not type_allowed(data, self.types):
            wanted = " or ".join(t for t in self.types)
            raise ValidationError([f"Must be of type {wanted}."])
        if self.enum is not None and not any(json_equal(data, v) for v in self.enum):
            shown = ", ".join(repr_json(v) for v in self.enum)
            raise ValidationError([f"Must be one of: {shown}."])
        if self.const is not UNSET and not json_equal(data, self.const):
            raise ValidationError([f"Must be {repr_json(self.const)}."])
        errors = ErrorTree()
        kind = json_type(data)
        if kind == "string":
            data = self._check_string(data, errors)
        elif kind in ("integer", "number"):
            data = self._check_number(data, errors)
        elif kind == "array":
            data = self._check_array(data, errors)
        elif kind == "object":
            data = self._check_object(data, errors)
        if self.check is not None and not errors:
            for path, message in self.check(data):
                errors.add(path, message)
        errors.raise_if_any()
        return data

    def get_default(self) -> Any:
        """The schema default, converted as a sent value would be (a ``uuid``
        default arrives as ``UUID`` too)."""
        default = copy.deepcopy(super().get_default())
        if default is None:
            return None
        try:
            return self.to_internal_value(default)
        except ValidationError:  # reported when the code was generated
            return default

    def _check_string(self, text: str, errors: ErrorTree) -> Any:
        if self.min_length is not None and len(text) < self.min_length:
            errors.add((), f"Ensure this value has at least {self.min_length} characters.")
        if self.max_length is not None and len(text) > self.max_length:
            errors.add((), f"Ensure this value has at most {self.max_length} characters.")
        if self.pattern is not None and not pattern_matches(self.pattern, text):
            errors.add((), f"Must match the pattern {self.pattern}.")
        try:
            return check_string_format(self.format, text)
        except ValueError as exc:
            errors.add((), str(exc))
            return text

    def _check_number(self, number: Any, errors: ErrorTree) -> Any:
        checks: tuple[tuple[Any, Callable[[Any], bool], str], ...] = (
            (self.minimum, lambda b: number < b, "greater than or equal to"),
            (self.exclusive_minimum, lambda b: number <= b, "greater than"),
            (self.maximum, lambda b: number > b, "less than or equal to"),
            (self.exclusive_maximum, lambda b: number >= b, "less than"),
        )
        for bound, fails, words in checks:
            if bound is not None and fails(_comparable(bound, number)):
                errors.add((), f"Ensure this value is {words} {bound}.")
        multiple = self.multiple_of
        if multiple is not None and _remainder(_as_decimal(number), _as_decimal(multiple)) != 0:
            errors.add((), f"Must be a multiple of {self.multiple_of}.")
        integral = is_integral(number)
        limits = INTEGER_RANGES.get(self.format or "")
        if limits and integral and not limits[0] <= number <= limits[1]:
            errors.add((), f"Must be within the {self.format} range [{limits[0]}, {limits[1]}].")
        return python_number(number, self.types, self.format)

    def _check_array(self, items: Sequence[Any], errors: ErrorTree) -> list[Any]:
        size = len(items)
        if self.min_items is not None and size < self.min_items:
            errors.add((), f"Ensure this list has at least {self.min_items} items (it has {size}).")
        if self.max_items is not None and size > self.max_items:
            errors.add((), f"Ensure this list has at most {self.max_items} items (it has {size}).")
        if self.unique_items:
            duplicate = first_duplicate(items)
            if duplicate:
                first, second = duplicate
                errors.add((), f"Items {first} and {second} are equal; items must be unique.")
        if self.items is None:
            return list(items)
        out = []
        for index, item in enumerate(items):
            try:
                out.append(self.items.run_validation(item))
            except ValidationError as exc:
                errors.merge(exc.detail, (index,))
        return out

    def _check_object(self, members: Mapping[str, Any], errors: ErrorTree) -> dict[str, Any]:
        size = len(members)
        if self.min_properties is not None and size < self.min_properties:
            errors.add((), f"Ensure this object has at least {self.min_properties} properties.")
        if self.max_properties is not None and size > self.max_properties:
            errors.add((), f"Ensure this object has at most {self.max_properties} properties.")
        if self.additional is None:
            return dict(members)
        out = {}
        for key, value in members.items():
            try:
                out[key] = self.additional.run_validation(value)
            except ValidationError as exc:
                errors.merge(exc.detail, (key,))
        return out

    # -- output ------------------------------------------------------------

    def to_representation(self, value: Any) -> Any:
        if value is None:
            return None
        if self.items is not None and isinstance(value, list | tuple):
            return [None if v is None else self.items.to_representation(v) for v in value]
        if self.additional is not None and isinstance(value, Mapping):
            return {
                str(k): None if v is None else self.additional.to_representation(v)
                for k, v in value.items()
            }
        if self.format is not None and "string" in self.types and not isinstance(value, str):
            text = string_output(self.format, value)
            if text is not None:
                return text
        return to_json(value)


def _remainder(number: decimal.Decimal, divisor: decimal.Decimal) -> decimal.Decimal:
    """Exact ``number % divisor``, with enough precision for any JSON number
    (the default 28 digits fail on ``1e300 % 3``)."""
    digits = max(len(number.as_tuple().digits), len(divisor.as_tuple().digits))
    precision = abs(number.adjusted() - divisor.adjusted()) + digits + 10
    with decimal.localcontext() as context:
        context.prec = max(28, precision)
        return number % divisor


def _comparable(bound: Any, number: Any) -> Any:
    """Compare Decimal input with float bounds exactly (``Decimal < float`` works,
    but ``Decimal(repr(bound))`` keeps 0.1 as written)."""
    if isinstance(number, decimal.Decimal) and isinstance(bound, float):
        return _as_decimal(bound)
    return bound


def repr_json(value: Any) -> str:
    """``repr_json(None)`` -> ``"null"``, ``repr_json(True)`` -> ``"true"``, strings quoted."""
    return json.dumps(to_json(value), ensure_ascii=False)


class String(JsonField):
    default_types = ("string",)


class Integer(JsonField):
    default_types = ("integer",)


class Number(JsonField):
    default_types = ("number",)


class Boolean(JsonField):
    default_types = ("boolean",)


class Null(JsonField):
    default_types = ("null",)


class Array(JsonField):
    default_types = ("array",)


class Object(JsonField):
    """A free-form object (``type: object`` without properties), or a map whose
    values are validated by ``additional``."""

    default_types = ("object",)


class AnyValue(JsonField):
    """Any JSON value (``{}`` or ``types=(...)`` with several types)."""


class Ref(Field):
    """A named schema, looked up lazily so schemas may be recursive.

    ``registry.ref("Node")`` -> a field validating with the ``Node``
    serializer, resolved on first use (the class may be defined later).
    Null handling is the target's: ``null`` reaches the target serializer,
    which accepts it only when its schema does.
    """

    def __init__(
        self, name: str, registry: Registry, *, output_required: bool = False, **kwargs: Any
    ) -> None:
        self.schema_name = name
        self.registry = registry
        self.output_required = output_required
        super().__init__(**kwargs)

    @property
    def target(self) -> type[ContractSerializer]:
        return self.registry[self.schema_name]

    @functools.cached_property
    def serializer(self) -> ContractSerializer:
        """One target instance per field: validation keeps no state on it."""
        return self.target()

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None and not self.read_only:
            return (False, None)
        return super().validate_empty_values(data)

    def get_default(self) -> Any:
        return copy.deepcopy(super().get_default())

    def to_internal_value(self, data: Any) -> Any:
        return self.serializer.run_validation(data)

    def to_representation(self, value: Any) -> Any:
        return self.serializer.to_representation(value)
