"""Serializers for named schemas, composition, and the registry that links them.

Each named schema of a spec becomes one :class:`ContractSerializer` subclass
in the generated ``serializers.py``. A serializer validates in layers, as
JSON Schema does:

1. the *value gate* (:meth:`ContractSerializer.build_value`): JSON type,
   enum, const and type-specific keywords, a :class:`~.fields.JsonField`;
2. object members (:meth:`build_fields`), ``additionalProperties``
   (``additional_properties``: ``True``, ``False`` or a field from
   :meth:`build_additional`);
3. ``allOf`` / ``oneOf`` / ``anyOf`` / ``not`` (:meth:`build_composition`),
   with a discriminator dispatching at run time;
4. keywords no field expresses, through ``json_schema_check`` (a JSON Schema
   validator, see :mod:`.schemacheck`).

Every error is collected; the view reports all of them by JSON pointer.
Input: readOnly properties are ignored (accepted and dropped); writeOnly
properties are accepted. Output: writeOnly properties are never written,
only declared properties are written unless the schema is free-form or
declares ``additionalProperties`` as a schema, and a missing required
property is a :class:`~servicekit.contract.errors.ContractError`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import referencing
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty

from codegen.core.spec.resources import registry_of
from servicekit.contract.drf_types import Field, Serializer
from servicekit.contract.errors import ContractError, ErrorTree
from servicekit.contract.fields import JsonField, Ref
from servicekit.contract.jsonvalues import to_json
from servicekit.contract.schemacheck import SchemaCheck

_ABSENT = object()


class Registry:
    """Named serializers of one generated package, by schema name.

    ``schemas`` holds each named schema as JSON Schema (what drf-spectacular
    publishes and what :class:`SchemaCheck` resolves ``$ref`` against);
    ``resources``, the spec's files by URI where some schemas are validated as
    written (``$dynamicRef``), in the spec's ``dialect``.
    """

    def __init__(
        self,
        schemas: Mapping[str, Any] | None = None,
        resources: Mapping[str, Any] | None = None,
        dialect: str | None = None,
    ) -> None:
        self.schemas: Mapping[str, Any] = schemas or {}
        self.resources: Mapping[str, Any] = resources or {}
        self.dialect = dialect
        self._schema_registry: referencing.Registry[Any] | None = None
        self._classes: dict[str, type[ContractSerializer]] = {}

    def register(self, cls: type[ContractSerializer]) -> type[ContractSerializer]:
        self._classes[cls.schema_name] = cls
        cls.registry = self
        return cls

    def __getitem__(self, name: str) -> type[ContractSerializer]:
        return self._classes[name]

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    def names(self) -> list[str]:
        return sorted(self._classes)

    def ref(self, name: str, **kwargs: Any) -> Ref:
        return Ref(name, self, **kwargs)

    def check(self, fragment: Mapping[str, Any]) -> SchemaCheck:
        return SchemaCheck(fragment, self.schemas, self.schema_registry)

    def schema_registry(self) -> referencing.Registry[Any] | None:
        """The ``referencing`` registry of :attr:`resources`, built on first use."""
        if self._schema_registry is None and self.resources:
            self._schema_registry = registry_of(self.resources, self.dialect)
        return self._schema_registry

    def discriminator(self, property_name: str, mapping: Mapping[str, str]) -> Discriminator:
        return Discriminator(property_name, dict(mapping), self)


class Discriminator:
    """Chooses the alternative by the value of ``property_name``."""

    def __init__(self, property_name: str, mapping: dict[str, str], registry: Registry) -> None:
        self.property_name = property_name
        self.mapping = mapping
        self.registry = registry
        self._refs: dict[str, Ref] = {}

    def choose(self, data: Any, errors: ErrorTree) -> Ref | None:
        if not isinstance(data, Mapping):
            return None
        if self.property_name not in data:
            errors.add((self.property_name,), "This field is required.")
            return None
        value = data[self.property_name]
        if not isinstance(value, str) or value not in self.mapping:
            allowed = ", ".join(sorted(self.mapping))
            errors.add((self.property_name,), f"Must be one of: {allowed}.")
            return None
        if value not in self._refs:
            self._refs[value] = self.registry.ref(self.mapping[value])
        return self._refs[value]


def _label(field: Field, index: int) -> str:
    return field.schema_name if isinstance(field, Ref) else f"#{index}"


def _attempt(field: Field, data: Any) -> tuple[Any, Any]:
    """``(value, None)`` when ``data`` is valid for ``field``, else ``(None, detail)``."""
    try:
        return field.run_validation(data), None
    except ValidationError as exc:
        return None, exc.detail


def declared_keys(field: Field, depth: int = 0) -> frozenset[str] | None:
    """Keys whose validated value ``field`` produces (converted, not raw);
    ``None`` means every key (a map validating all its values)."""
    if not isinstance(field, Ref) or depth > 20:
        return frozenset()
    return field.serializer.declared_keys(depth + 1)


def _merge(values: Sequence[tuple[Any, frozenset[str] | None]], own: Any) -> Any:
    """Merge the validated objects of several subschemas.

    A value validated by a subschema that declares its key wins over the raw
    copy another subschema kept as an additional property (so a ``date``
    declared in one ``allOf`` member stays a ``date``).
    """
    dicts = [(v, keys) for v, keys in values if isinstance(v, Mapping)]
    if not dicts:
        return values[0][0] if values else own
    merged: dict[str, Any] = {}
    for value, keys in dicts:
        for key, item in value.items():
            if keys is None or key in keys:
                merged[key] = item
            else:
                merged.setdefault(key, item)
    return merged


class Composition:
    """``allOf`` / ``oneOf`` / ``anyOf`` / ``not`` of one schema."""

    def __init__(
        self,
        *,
        all_of: Sequence[Field] = (),
        one_of: Sequence[Field] = (),
        any_of: Sequence[Field] = (),
        not_: Field | None = None,
        discriminator: Discriminator | None = None,
    ) -> None:
        self.all_of, self.one_of, self.any_of = tuple(all_of), tuple(one_of), tuple(any_of)
        self.not_ = not_
        self.discriminator = discriminator

    def members(self) -> tuple[Field, ...]:
        return (*self.all_of, *self.one_of, *self.any_of)

    def validate(self, data: Any, own: tuple[Any, frozenset[str] | None], errors: ErrorTree) -> Any:
        """Validate ``data`` against every subschema; ``own`` is the schema's
        own validated value and the keys it declares."""
        values: list[tuple[Any, frozenset[str] | None]] = []
        for member in self.all_of:
            value, detail = _attempt(member, data)
            if detail is not None:
                errors.merge(detail)
            else:
                values.append((value, declared_keys(member)))
        for kind, members in (("oneOf", self.one_of), ("anyOf", self.any_of)):
            if members:
                chosen = self._alternatives(kind, members, data, errors)
                if chosen is not _ABSENT:
                    values.append(chosen)
        if self.not_ is not None and _attempt(self.not_, data)[1] is None:
            errors.add((), "Must not match the schema given in 'not'.")
        return _merge([*values, own], own[0]) if values else own[0]

    def _alternatives(
        self,
        kind: str,
        members: Sequence[Field],
        data: Any,
        errors: ErrorTree,
    ) -> Any:
        # The discriminator picks among objects; anything else is judged by the
        # alternatives themselves (an array matches none of them).
        if self.discriminator is not None and isinstance(data, Mapping):
            chosen = self.discriminator.choose(data, errors)
            if chosen is None:
                return _ABSENT
            value, detail = _attempt(chosen, data)
            if detail is not None:
                errors.merge(detail)
                return _ABSENT
            return (value, declared_keys(chosen))
        passed: list[tuple[str, Any]] = []
        failures: list[Any] = []
        for index, member in enumerate(members):
            value, detail = _attempt(member, data)
            if detail is None:
                passed.append((_label(member, index), (value, declared_keys(member))))
                if kind == "anyOf":
                    break
            else:
                failures.append(detail)
        if not passed:
            labels = ", ".join(_label(m, i) for i, m in enumerate(members))
            errors.add(
                (),
                f"Must match {'exactly one' if kind == 'oneOf' else 'at least one'} "
                f"of the schemas in {kind} ({labels}); it matches none.",
            )
            best = min(failures, key=_size)
            errors.merge(best)
            return _ABSENT
        if kind == "oneOf" and len(passed) > 1:
            labels = ", ".join(label for label, _ in passed)
            errors.add((), f"Must match exactly one of the schemas in oneOf; it matches {labels}.")
            return _ABSENT
        return passed[0][1]

    def represent(self, instance: Any) -> dict[str, Any] | Any:
        outputs: list[Any] = [m.to_representation(instance) for m in self.all_of]
        for members in (self.one_of, self.any_of):
            if members:
                outputs.append(self._choose_output(members, instance).to_representation(instance))
        dicts = [o for o in outputs if isinstance(o, Mapping)]
        if not dicts:
            return outputs[0] if outputs else to_json(instance)
        merged: dict[str, Any] = {}
        for out in dicts:
            merged.update(out)
        return merged

    def _choose_output(
        self,
        members: Sequence[Field],
        instance: Any,
    ) -> Field:
        """The alternative a handler's value belongs to: by discriminator when
        there is one, else the first alternative its JSON form validates against."""
        as_json = to_json(instance)
        if self.discriminator is not None:
            chosen = self.discriminator.choose(as_json, ErrorTree())
            if chosen is not None:
                return chosen
        for member in members:
            if _attempt(member, as_json)[1] is None:
                return member
        return members[0]


def _size(detail: Any) -> int:
    tree = ErrorTree()
    tree.merge(detail)
    return tree.count()


def _lookup(instance: Any, name: str, python_name: str) -> Any:
    if isinstance(instance, Mapping):
        if name in instance:
            return instance[name]
        return instance.get(python_name, _ABSENT)
    return getattr(instance, python_name, _ABSENT)


class ContractSerializer(Serializer):
    """Base of every generated serializer; see the module docstring."""

    schema_name: ClassVar[str] = ""
    registry: ClassVar[Registry]
    # JSON key -> Python attribute name, where they differ (output from objects).
    python_names: ClassVar[Mapping[str, str]] = {}
    # True: extra keys allowed; False: rejected; None: validated by build_additional().
    additional_properties: ClassVar[bool | None] = True
    # Whether the schema declares object members (properties/additionalProperties).
    has_members: ClassVar[bool] = False
    # Checks keywords no field expresses (see servicekit.contract.schemacheck).
    json_schema_check: ClassVar[SchemaCheck | None] = None

    def build_value(self) -> JsonField:
        return JsonField()

    def build_fields(self) -> dict[str, Field]:
        return {}

    def build_additional(self) -> Field | None:
        return None

    def build_composition(self) -> Composition | None:
        return None

    def get_fields(self) -> dict[str, Field]:
        return self.build_fields()

    def declared_keys(self, depth: int = 0) -> frozenset[str] | None:
        """Keys this schema validates into converted values (see :func:`_merge`)."""
        if self.has_members and self.additional_properties is None:
            return None
        keys = set(self.fields) if self.has_members else set()
        if self.composition is not None:
            for member in self.composition.members():
                member_keys = declared_keys(member, depth)
                if member_keys is None:
                    return None
                keys |= member_keys
        return frozenset(keys)

    # Built once per instance (validation keeps no state on them).
    @functools.cached_property
    def gate(self) -> JsonField:
        return self.build_value()

    @functools.cached_property
    def composition(self) -> Composition | None:
        return self.build_composition()

    @functools.cached_property
    def additional(self) -> Field | None:
        return self.build_additional()

    # -- input -------------------------------------------------------------

    def run_validation(self, data: Any = empty) -> Any:
        if data is empty:
            raise ValidationError(["This field is required."])
        return self.to_internal_value(data)

    def to_internal_value(self, data: Any) -> Any:
        errors = ErrorTree()
        value = self.validate_into(data, errors)
        errors.raise_if_any()
        return value

    def validate_into(self, data: Any, errors: ErrorTree) -> Any:
        try:
            value = self.gate.run_validation(data)
        except ValidationError as exc:
            errors.merge(exc.detail)
            return data
        own_keys: frozenset[str] | None = frozenset()
        if isinstance(data, Mapping) and self.has_members:
            value = self._validate_members(data, errors)
            own_keys = None if self.additional_properties is None else frozenset(self.fields)
        composition = self.composition
        if composition is not None:
            value = composition.validate(data, (value, own_keys), errors)
        check = type(self).json_schema_check
        if check is not None and not errors:
            for path, message in check(data):
                errors.add(path, message)
        return value

    def _validate_members(self, data: Mapping[str, Any], errors: ErrorTree) -> dict[str, Any]:
        fields = self.fields
        out: dict[str, Any] = {}
        for name, field in fields.items():
            if field.read_only:
                continue
            try:
                out[name] = field.run_validation(data.get(name, empty))
            except ValidationError as exc:
                errors.merge(exc.detail, (name,))
            except SkipField:
                pass
        extra = [key for key in data if key not in fields]
        if self.additional_properties is False:
            for key in extra:
                errors.add((key,), "Unexpected property.")
        elif self.additional_properties is None:
            additional = self.additional
            assert additional is not None, f"{type(self).__name__} needs build_additional()"
            for key in extra:
                try:
                    out[key] = additional.run_validation(data[key])
                except ValidationError as exc:
                    errors.merge(exc.detail, (key,))
        else:
            out.update((key, data[key]) for key in extra)
        return out

    # -- output ------------------------------------------------------------

    def to_representation(self, instance: Any) -> Any:
        if instance is None:
            return None
        composition = self.composition
        scalar = not isinstance(instance, Mapping) and json_kind_is_scalar(instance)
        if scalar or not (self.has_members or composition):
            return self.gate.to_representation(instance)
        out: dict[str, Any] = {}
        if composition is not None:
            composed = composition.represent(instance)
            if not isinstance(composed, Mapping):
                return composed
            out.update(composed)
        if self.has_members:
            out.update(self._represent_members(instance))
        return out

    def _represent_members(self, instance: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        fields = self.fields
        for name, field in fields.items():
            if field.write_only:
                continue
            value = _lookup(instance, name, self.python_names.get(name, name))
            if value is _ABSENT:
                if field.required or getattr(field, "output_required", False):
                    raise ContractError(
                        f"{self.schema_name}: the response lacks required property {name!r}"
                    )
                continue
            out[name] = None if value is None else field.to_representation(value)
        if self.additional_properties is None and isinstance(instance, Mapping):
            additional = self.additional
            assert additional is not None
            for key, value in instance.items():
                if key not in fields:
                    out[str(key)] = None if value is None else additional.to_representation(value)
        return out


def json_kind_is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | tuple)
