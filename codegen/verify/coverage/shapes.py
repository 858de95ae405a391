"""The coverage items a JSON body can hit, as a tree that mirrors its schema.

A :class:`Shape` is built once per body schema (request body, or one response's
content) from the IR and then walked together with every instance sent or
received: a key of an object hits its property item, a value hits its enum item,
and an instance valid against a ``oneOf``/``anyOf`` branch hits that branch (the
branch is checked with the JSON Schema 2020-12 view of the schema as written,
:func:`codegen.core.jsonschema.from_spec.validation_schema`, and the project's
validator, so a branch means what it means to the services).

Property paths are JSON pointers into the instance with array elements folded to
``*``: ``/lines/*/product_id``. A named schema that contains itself (a tree node)
gets one shape, reused at every depth: its items are listed once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jsonschema.protocols import Validator

from codegen.core.diagnostics import SourceLocation
from codegen.core.ir.model import Api, Schema, SchemaNode, SchemaRef
from codegen.core.jsonschema.from_spec import validation_schema
from codegen.core.openapi import UNSENT, Direction
from codegen.core.spec import pointer as jp
from codegen.core.spec.loader import LoadedSpec
from codegen.core.validator import FORMAT_CHECKER, ExampleValidator
from codegen.verify.coverage.kinds import Kind

MAX_DEPTH = 64  # how deep an instance is walked; deeper values hit nothing more
FOLDED = "*"  # the token that stands for every array element in a property path


def enum_key(value: Any) -> str:
    """One text for a value, however it travelled: ``"2"``, ``2`` -> ``"2"``; ``None`` ->
    ``"null"``. Query and header values arrive as strings, bodies as JSON."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


@dataclass(eq=False, slots=True)
class Branch:
    item: str
    validator: Validator
    shape: Shape

    def matches(self, instance: Any) -> bool:
        return bool(self.validator.is_valid(instance))


@dataclass(eq=False, slots=True)
class Shape:
    """The items of one place in an instance; ``eq=False``: shapes are a graph."""

    properties: dict[str, tuple[str, Shape]] = field(default_factory=dict)
    items: Shape | None = None
    enum: dict[str, str] = field(default_factory=dict)  # enum_key(value) -> item id
    all_of: list[Shape] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)

    def visit(self, instance: Any, hit: Callable[[str], None], depth: int = 0) -> None:
        """Call ``hit`` with every item ``instance`` covers."""
        if depth > MAX_DEPTH:
            return
        if self.enum:
            item = self.enum.get(enum_key(instance))
            if item is not None:
                hit(item)
        for member in self.all_of:
            member.visit(instance, hit, depth + 1)
        for branch in self.branches:
            if branch.matches(instance):
                hit(branch.item)
                branch.shape.visit(instance, hit, depth + 1)
        if isinstance(instance, dict):
            for key, value in instance.items():
                entry = self.properties.get(key)
                if entry is not None:
                    hit(entry[0])
                    entry[1].visit(value, hit, depth + 1)
        elif isinstance(instance, list) and self.items is not None:
            for value in instance:
                self.items.visit(value, hit, depth + 1)


ItemSink = Callable[[Kind, str, SourceLocation | None], str]
"""``(kind, what, location) -> item id``: registers one item and returns its id."""


class ShapeBuilder:
    """Builds the shape of one body schema, registering its items through ``add``.

    ``context`` prefixes every item (``"request"``, ``"response 200"``); enum values
    are items only in requests (what a client sends), properties and branches in both.
    """

    def __init__(
        self,
        api: Api,
        loaded: LoadedSpec,
        direction: Direction,
        context: str,
        add: ItemSink,
    ) -> None:
        self.api = api
        self.loaded = loaded
        self.direction = direction
        self.context = context
        self.add = add
        self._open: dict[str, Shape] = {}  # named schemas being built (recursion)

    def build(self, node: SchemaNode, path: str = "") -> Shape:
        if isinstance(node, SchemaRef):
            if node.name in self._open:
                return self._open[node.name]
            shape = self._open[node.name] = Shape()
            try:
                self._fill(shape, self.api.schemas[node.name], path)
            finally:
                del self._open[node.name]
            return shape
        shape = Shape()
        self._fill(shape, node, path)
        return shape

    def _where(self, path: str) -> str:
        return f"{self.context} {path or '/'}"

    def _locate(self, schema: Schema, *tokens: str | int) -> SourceLocation:
        where = schema.location
        return self.loaded.lazy_locate(
            self.loaded.file(where.file), jp.child(where.pointer, *tokens)
        )

    def _fill(self, shape: Shape, schema: Schema, path: str) -> None:
        if schema.enum is not None and self.direction == "request":
            for index, value in enumerate(schema.enum):
                shape.enum[enum_key(value)] = self.add(
                    Kind.PROPERTIES,
                    f"{self._where(path)} = {json.dumps(value)}",
                    self._locate(schema, "enum", index),
                )
        unsent = UNSENT[self.direction]
        for prop in schema.properties:
            target = self.api.resolve(prop.schema)
            flag = target.read_only if unsent == "readOnly" else target.write_only
            if flag:
                continue
            child_path = f"{path}/{jp.escape(prop.name)}"
            item = self.add(
                Kind.PROPERTIES,
                f"{self.context} property {child_path}",
                self._locate(schema, "properties", prop.name),
            )
            shape.properties[prop.name] = (item, self.build(prop.schema, child_path))
        if schema.items is not None:
            shape.items = self.build(schema.items, f"{path}/{FOLDED}")
        shape.all_of.extend(self.build(member, path) for member in schema.all_of)
        for keyword, members in (("oneOf", schema.one_of), ("anyOf", schema.any_of)):
            for index, member in enumerate(members):
                label = f" ({member.name})" if isinstance(member, SchemaRef) else ""
                item = self.add(
                    Kind.BRANCHES,
                    f"{self._where(path)} {keyword}[{index}]{label}",
                    self._locate(schema, keyword, index),
                )
                shape.branches.append(
                    Branch(item, self._validator(member), self.build(member, path))
                )

    def _validator(self, node: SchemaNode) -> Validator:
        """A validator for ``node`` as written in the spec (3.0 read as 3.1)."""
        where = self.api.resolve(node).location
        spec_file = self.loaded.file(where.file)
        try:
            raw = jp.lookup(spec_file.data, jp.split(where.pointer))
        except jp.PointerError:
            raw = {}
        schema = validation_schema(self.loaded, spec_file, raw, direction=self.direction)
        validator: Validator = ExampleValidator(schema, format_checker=FORMAT_CHECKER)
        return validator
