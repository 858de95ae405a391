"""IR -> the typed reply bodies of ``replies.py`` and each operation's reply type (pure).

A handler's reply body is *written* by the runtime's response fields, which read a key
of a mapping or an attribute of an object and accept more than one Python type for a
JSON value (``uuid.UUID`` or ``str`` for ``format: uuid``). The annotations here name
what those fields accept, so they are true at run time:

* every named object schema a JSON response reaches is a ``TypedDict``, in the
  functional form (JSON keys such as ``class`` or ``2fa`` stay keys): writeOnly members
  are left out, optional ones are ``t.NotRequired``, nullable ones add ``| None``;
* a string with a converting format is that type or its text (``datetime.datetime | str``),
  an enum is its JSON type (membership is checked at run time), a ``number`` is
  ``float | decimal.Decimal``, an array ``list[X]``;
* a reply body that is such a class may also be a Django model instance
  (``replies.Product | models.Model``): its attributes are read, and mypy cannot check them;
* anything no single type describes is ``t.Any``.

``reply_type(api, op)`` -> ``Reply[t.Literal[200, 404], replies.Product | models.Model |
replies.Problem]``: the statuses and the bodies are checked, not which body goes with
which status (mypy infers a constructor call against one type, not against a union of
``Reply`` types); the runtime checks that against the spec in tests and in DEBUG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codegen.core.ir.model import Api, Operation, Schema, SchemaNode
from codegen.generator.render.annotations import STRING_FORMATS, modules_used
from codegen.generator.render.literals import py_literal
from codegen.generator.render.records import is_record, typed_media

MODEL = "models.Model"
# A JSON type -> what its response field accepts (one non-null type, no converting format).
REPLY_TYPES = {
    "string": "str",
    "integer": "int",
    "number": "float | decimal.Decimal",
    "boolean": "bool",
    "object": "dict[str, t.Any]",
}


@dataclass(frozen=True, slots=True)
class ReplyMember:
    key: str  # a Python literal of the JSON key
    annotation: str


@dataclass(frozen=True, slots=True)
class ReplyClass:
    name: str
    members: list[ReplyMember]
    left_out: list[str]  # JSON keys of writeOnly members


@dataclass(frozen=True, slots=True)
class RepliesContext:
    classes: list[ReplyClass]
    modules: list[str]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.classes)


def _array(schema: Schema) -> bool:
    return schema.non_null_types == ("array",) and not schema.prefix_items


def _opaque(schema: Schema) -> bool:
    return bool(
        schema.all_of
        or schema.one_of
        or schema.any_of
        or schema.as_written is not None
        or len(schema.non_null_types) != 1
    )


def reply_annotation(api: Api, node: SchemaNode | None, typed: frozenset[str], prefix: str) -> str:
    """What the response field of ``node`` accepts; classes of ``typed`` as ``prefix + name``."""
    if node is None:
        return "t.Any"
    schema = api.resolve(node)
    if schema.name in typed:
        text = f"{prefix}{schema.name}"
    elif _opaque(schema):
        return "t.Any"
    elif _array(schema):
        text = f"list[{reply_annotation(api, schema.items, typed, prefix)}]"
    elif schema.non_null_types == ("string",) and (schema.format or "") in STRING_FORMATS:
        text = f"{STRING_FORMATS[schema.format or '']} | str"
    else:
        text = REPLY_TYPES[schema.non_null_types[0]]
    return f"{text} | None" if schema.nullable else text


def _collect(api: Api, node: SchemaNode | None, found: dict[str, Schema]) -> None:
    if node is None:
        return
    schema = api.resolve(node)
    if schema.name is not None and schema.name in found:
        return
    if is_record(schema):
        assert schema.name is not None
        found[schema.name] = schema
        for prop in schema.properties:
            if not api.resolve(prop.schema).write_only:
                _collect(api, prop.schema, found)
    elif _array(schema) and not _opaque(schema):
        _collect(api, schema.items, found)


def _class(api: Api, schema: Schema, typed: frozenset[str]) -> ReplyClass:
    assert schema.name is not None
    members: list[ReplyMember] = []
    left_out: list[str] = []
    for prop in schema.properties:
        if api.resolve(prop.schema).write_only:
            left_out.append(prop.name)
            continue
        text = reply_annotation(api, prop.schema, typed, prefix="")
        if any(re.search(rf"\b{name}\b", text) for name in typed):
            text = py_literal(text)  # a forward reference: the functional form evaluates values
        members.append(
            ReplyMember(py_literal(prop.name), text if prop.required else f"t.NotRequired[{text}]")
        )
    return ReplyClass(schema.name, members, left_out)


def replies_context(api: Api) -> RepliesContext:
    """Every TypedDict of ``replies.py``, sorted by name."""
    found: dict[str, Schema] = {}
    for op in api.operations:
        for response in op.responses:
            for media in response.content:
                if typed_media(media.media_type):
                    _collect(api, media.schema, found)
    typed = frozenset(found)
    classes = [_class(api, found[name], typed) for name in sorted(found)]
    texts = [m.annotation for c in classes for m in c.members]
    return RepliesContext(classes, modules_used(texts))


def body_type(api: Api, op: Operation, typed: frozenset[str]) -> str:
    """The union of every body a handler of ``op`` may reply with."""
    bodies: set[str] = set()
    for response in op.responses:
        if not response.content:
            bodies.add("None")
        for media in response.content:
            if not typed_media(media.media_type):
                return "t.Any"
            text = reply_annotation(api, media.schema, typed, prefix="replies.")
            if text == "t.Any":
                return text
            bodies.add(text)
            schema = api.resolve(media.schema) if media.schema is not None else None
            if schema is not None and schema.name in typed:
                bodies.add(MODEL)
    return " | ".join(sorted(bodies, key=lambda text: (text == "None", text))) or "None"


def reply_type(api: Api, op: Operation, typed: frozenset[str]) -> str:
    """``Reply[t.Literal[201, 409], replies.Order | models.Model | replies.Problem]`` for
    the declared statuses; ``Reply[int, ...]`` when a range (``4XX``) or ``default``
    admits statuses no list names."""
    statuses = [r.status for r in op.responses]
    body = body_type(api, op, typed)
    if not statuses or not all(status.isdigit() for status in statuses):
        return f"Reply[int, {body}]"
    return f"Reply[t.Literal[{', '.join(sorted(statuses))}], {body}]"
