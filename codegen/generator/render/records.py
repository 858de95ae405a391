"""IR -> the typed request body classes of ``bodies.py`` (template context, pure).

Every named object schema a JSON or form request body reaches becomes one
``@dataclass(frozen=True, slots=True, kw_only=True)`` (a ``servicekit.contract.records.Record``),
named as the IR names it (component name; ``CreateOrderRequest`` for an inline body,
``OrderLinesItem`` for an inline object by its property path). Its members:

* readOnly members are left out (the runtime ignores them on input);
* a required member, or one with a default (the runtime applies it), is plain ``X``;
  an optional one is ``X | tb.Absent = tb.ABSENT``; a nullable one adds ``| None``;
* nested objects are their classes, arrays ``tuple[X, ...]``;
* a ``oneOf``/``anyOf`` with a discriminator over such classes is an alias
  ``t.Annotated[A | B, tb.OneOf("kind", {"a": A, "b": B})]`` that ``match`` narrows;
* anything else is annotated as a parameter would be
  (:mod:`codegen.generator.render.annotations`).

An object with ``additionalProperties`` as a schema or ``patternProperties`` stays a
``dict`` (its extra members are data, not attributes); a class keeps the declared
members only. How a value is built lives in ``servicekit.contract.records``, read
from these annotations: nothing here is repeated at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.core.ir import names
from codegen.core.ir.model import MISSING, Api, Property, Schema, SchemaNode, SchemaRef
from codegen.generator.render.annotations import annotation, modules_used
from codegen.generator.render.literals import py_literal

# Media types whose validated body is a JSON-shaped value (multipart keeps uploaded files).
TYPED_MEDIA = ("application/x-www-form-urlencoded",)
# Attributes of ``Record`` a member must not shadow.
RECORD_RESERVED = frozenset({"build"})


@dataclass(frozen=True, slots=True)
class MemberContext:
    python_name: str
    annotation: str
    default: str | None  # the ``= ...`` text; None for a member always present


@dataclass(frozen=True, slots=True)
class RecordContext:
    name: str
    description: str
    source: str
    members: list[MemberContext]
    left_out: list[str]  # JSON keys of readOnly members


@dataclass(frozen=True, slots=True)
class UnionContext:
    name: str
    property_name: str  # a Python literal
    members: list[str]  # class names, sorted
    mapping: list[tuple[str, str]]  # (value literal, class name)


@dataclass(frozen=True, slots=True)
class BodiesContext:
    records: list[RecordContext]
    unions: list[UnionContext]
    modules: list[str]  # standard modules the annotations name

    @property
    def names(self) -> frozenset[str]:
        return frozenset(r.name for r in self.records) | {u.name for u in self.unions}


def typed_media(media_type: str) -> bool:
    """JSON (``application/json``, ``+json``, ``*/*``) and urlencoded forms."""
    kind = media_type.lower()
    subtype = kind.partition("/")[2]
    return subtype == "json" or subtype.endswith("+json") or kind in ("*/*", *TYPED_MEDIA)


def is_record(schema: Schema) -> bool:
    return bool(
        schema.name
        and schema.non_null_types == ("object",)
        and schema.properties
        and not (schema.all_of or schema.one_of or schema.any_of)
        and schema.as_written is None
        and not schema.pattern_properties
        and isinstance(schema.additional_properties, bool)
    )


def _union_members(api: Api, schema: Schema) -> list[str] | None:
    """The classes of a discriminated ``oneOf``/``anyOf`` whose members are all
    records and all named by the discriminator; else ``None``."""
    if (
        schema.name is None
        or schema.discriminator is None
        or bool(schema.one_of) == bool(schema.any_of)
        or schema.all_of
        or schema.properties
        or schema.as_written is not None
        or schema.non_null_types not in ((), ("object",))
    ):
        return None
    choices = schema.one_of or schema.any_of
    members = {choice.name for choice in choices if isinstance(choice, SchemaRef)}
    targets = {target for _, target in schema.discriminator.mapping}
    if len(members) != len(choices) or members != targets:
        return None
    if not all(is_record(api.schemas[name]) for name in targets):
        return None
    return sorted(targets)


class _Collector:
    """Walks from the request bodies to every schema that becomes a class or a union."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.records: dict[str, Schema] = {}
        self.unions: dict[str, tuple[Schema, list[str]]] = {}

    def visit(self, node: SchemaNode | None) -> None:
        if node is None:
            return
        schema = self.api.resolve(node)
        name = schema.name
        if name is not None and (name in self.records or name in self.unions):
            return
        if is_record(schema):
            assert name is not None
            self.records[name] = schema
            for prop in schema.properties:
                if not self.api.resolve(prop.schema).read_only:
                    self.visit(prop.schema)
            return
        members = _union_members(self.api, schema)
        if members is not None:
            assert name is not None
            self.unions[name] = (schema, members)
            for member in members:
                self.visit(SchemaRef(member))
            return
        if schema.non_null_types == ("array",) and not schema.prefix_items:
            self.visit(schema.items)


def _array(schema: Schema) -> bool:
    return (
        schema.non_null_types == ("array",)
        and not schema.prefix_items
        and not (schema.all_of or schema.one_of or schema.any_of)
        and schema.as_written is None
    )


def typed_annotation(
    api: Api, node: SchemaNode | None, typed: frozenset[str], prefix: str = ""
) -> tuple[str, bool]:
    """(annotation, whether the runtime builds it) of a body value of ``node``:
    ``("bodies.Order", True)``, ``("tuple[str, ...]", True)``, ``("int", False)``.
    ``typed`` names the classes and unions; ``prefix`` qualifies them."""
    if node is None:
        return "t.Any", False
    schema = api.resolve(node)
    null = " | None" if schema.nullable else ""
    if schema.name in typed:
        return f"{prefix}{schema.name}{null}", True
    if _array(schema):
        item = typed_annotation(api, schema.items, typed, prefix)[0] if schema.items else "t.Any"
        return f"tuple[{item}, ...]{null}", True
    return annotation(api, node), False


def _member(api: Api, prop: Property, python_name: str, typed: frozenset[str]) -> MemberContext:
    member = api.resolve(prop.schema)
    text = typed_annotation(api, prop.schema, typed)[0]
    arrives = prop.required or member.default is not MISSING
    if member.default is None and text != "t.Any" and not text.endswith(" | None"):
        text += " | None"  # a default of null arrives as None
    key = f", metadata={{tb.KEY: {py_literal(prop.name)}}}" if python_name != prop.name else ""
    if arrives:
        default = f"dataclasses.field({key[2:]})" if key else None
    else:
        text += " | tb.Absent"
        default = f"dataclasses.field(default=tb.ABSENT{key})" if key else "tb.ABSENT"
    return MemberContext(python_name, text, default)


def _record(api: Api, schema: Schema, typed: frozenset[str]) -> RecordContext:
    assert schema.name is not None
    namespace = names.Namespace(style="snake", reserved=RECORD_RESERVED)
    members: list[MemberContext] = []
    left_out: list[str] = []
    for prop in schema.properties:
        if api.resolve(prop.schema).read_only:
            left_out.append(prop.name)
        else:
            name = names.attribute(prop.name, reserved=RECORD_RESERVED)
            members.append(_member(api, prop, namespace.claim(name), typed))
    return RecordContext(
        name=schema.name,
        description=" ".join((schema.description or schema.title or "").split()),
        source=f"{schema.location.file} #{schema.location.pointer}",
        members=members,
        left_out=left_out,
    )


def _union(schema: Schema, members: list[str]) -> UnionContext:
    assert schema.name is not None and schema.discriminator is not None
    return UnionContext(
        name=schema.name,
        property_name=py_literal(schema.discriminator.property_name),
        members=members,
        mapping=[(py_literal(value), target) for value, target in schema.discriminator.mapping],
    )


def body_nodes(api: Api) -> list[SchemaNode]:
    """The schemas of every typed request body media type, in operation order."""
    return [
        media.schema
        for op in api.operations
        if op.request_body is not None
        for media in op.request_body.content
        if media.schema is not None and typed_media(media.media_type)
    ]


def bodies_context(api: Api) -> BodiesContext:
    """Every class and union of ``bodies.py``, sorted by name."""
    collector = _Collector(api)
    for node in body_nodes(api):
        collector.visit(node)
    typed = frozenset(collector.records) | frozenset(collector.unions)
    records = [_record(api, collector.records[name], typed) for name in sorted(collector.records)]
    unions = [_union(*collector.unions[name]) for name in sorted(collector.unions)]
    texts = [m.annotation for r in records for m in r.members]
    return BodiesContext(records=records, unions=unions, modules=modules_used(texts))
