"""Turn an OpenAPI schema node into one self-contained JSON Schema 2020-12 document.

Examples are validated with ``jsonschema``, which knows neither OpenAPI 3.0's
dialect nor our multi-file ``$ref``. :func:`to_json_schema` copies the schema,
replacing each ``$ref`` with ``#/$defs/<n>`` (one entry per referenced place,
so recursive schemas stay finite) and rewriting 3.0 keywords:

* ``nullable: true`` → ``"null"`` added to ``type`` (or ``anyOf [..., null]``);
* ``exclusiveMinimum: true`` + ``minimum: 5`` → ``exclusiveMinimum: 5``;
* ``discriminator``, ``xml``, ``example`` and ``x-*`` are dropped (annotations).

``context`` drops ``required`` entries that the direction does not send:
readOnly properties in requests, writeOnly properties in responses.

Example: ``{type: string, nullable: true}`` (3.0) → ``{"type": ["string", "null"]}``.
"""

from __future__ import annotations

from typing import Any

from codegen.core.openapi import REQUEST, RESPONSE
from codegen.designer.lint.document import Document, Node
from codegen.designer.lint.walk import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_SINGLES

DROPPED = frozenset(
    {"discriminator", "xml", "externalDocs", "nullable", "$id", "$schema", "$anchor"}
)


class _Converter:
    def __init__(self, doc: Document, context: str) -> None:
        self.doc = doc
        self.context = context
        self.defs: dict[str, Any] = {}
        self.names: dict[tuple[str, str], str] = {}

    def ref(self, node: Node) -> dict[str, Any]:
        target = self.doc.deref(node)
        if target.is_ref:
            return {}  # broken reference or a cycle of refs: the loader reports it
        name = self.names.get(target.key)
        if name is None:
            name = self.names[target.key] = f"d{len(self.names)}"
            self.defs[name] = True  # placeholder while converting (recursion)
            self.defs[name] = self.convert(target)
        return {"$ref": f"#/$defs/{name}"}

    def convert(self, node: Node) -> Any:
        value = node.value
        if isinstance(value, bool):
            return value
        if not isinstance(value, dict):
            return {}
        if node.is_ref:
            reference = self.ref(node)
            if self.doc.is_30:
                return reference  # 3.0: siblings of $ref are ignored
            rest = self._keywords(node, skip={"$ref"})
            return {**rest, "allOf": [reference, *rest.get("allOf", [])]} if rest else reference
        return self._keywords(node, skip=set())

    def _keywords(self, node: Node, skip: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, raw in node.value.items():
            if key in skip or key in DROPPED or key.startswith("x-"):
                continue
            if key == "example" and self.doc.is_30:
                continue
            out[key] = self._value(node, key, raw)
        _exclusive_bounds(out)  # booleans are 3.0 style; accepted (leniently) in 3.1 too
        out = self._drop_unsent_required(node, out)
        if node.get("nullable") is True and self.doc.is_30:
            return _nullable(out)
        return out

    def _value(self, node: Node, key: str, raw: Any) -> Any:
        if key in SCHEMA_MAPS and isinstance(raw, dict):
            return {name: self.convert(node.child(key, name)) for name in raw}
        if key in SCHEMA_LISTS and isinstance(raw, list):
            return [self.convert(node.child(key, i)) for i in range(len(raw))]
        if key in SCHEMA_SINGLES and isinstance(raw, (dict, bool)):
            return self.convert(node.child(key))
        return raw

    def _drop_unsent_required(self, node: Node, out: dict[str, Any]) -> dict[str, Any]:
        required = out.get("required")
        unsent = {REQUEST: "readOnly", RESPONSE: "writeOnly"}.get(self.context)
        if not isinstance(required, list) or unsent is None:
            return out
        properties = node.child("properties")
        kept = [
            name
            for name in required
            if not (
                isinstance(name, str) and self.doc.deref(properties.child(name)).get(unsent) is True
            )
        ]
        return {**out, "required": kept} if len(kept) != len(required) else out


def _exclusive_bounds(out: dict[str, Any]) -> None:
    """3.0 boolean exclusive bounds → 2020-12 numeric ones, in place."""
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(exclusive)
        if isinstance(flag, bool):
            del out[exclusive]
            if flag and bound in out:
                out[exclusive] = out.pop(bound)


def _nullable(out: dict[str, Any]) -> dict[str, Any]:
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    return {"anyOf": [out, {"type": "null"}]}


def to_json_schema(doc: Document, node: Node, context: str) -> dict[str, Any] | bool:
    """A self-contained JSON Schema for ``node`` (see the module docstring)."""
    converter = _Converter(doc, context)
    schema = converter.convert(node)
    if converter.defs and isinstance(schema, dict):
        return {**schema, "$defs": {**schema.get("$defs", {}), **converter.defs}}
    if converter.defs:
        return {"allOf": [schema], "$defs": converter.defs}
    return schema if isinstance(schema, (dict, bool)) else {}
