"""Response schemas for the mock: JSON Schema 2020-12 that remembers discriminators.

:func:`codegen.designer.lint.json_schema.to_json_schema` drops ``discriminator`` (it is
an annotation to a validator), but generated data should carry the value that
names its branch. :func:`response_schema` converts the same way and keeps, on
each schema with a discriminator, ``x-specfirst-discriminator``: the property
name and a mapping from each value to the ``$defs`` reference of its schema
(explicit ``mapping`` entries, plus the component name of every ``$ref``
branch of ``oneOf``/``anyOf``, as OpenAPI's implicit mapping says).
``writeOnly`` properties are forbidden (``false``), as schemathesis checks
responses.

``{oneOf: [$ref: "#/components/schemas/Cat"], discriminator: {propertyName: kind}}``
-> ``{"oneOf": [{"$ref": "#/$defs/d0"}], "x-specfirst-discriminator":
{"propertyName": "kind", "mapping": {"Cat": "#/$defs/d0"}}, "$defs": {...}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codegen.core.openapi import RESPONSE
from codegen.core.synth import DISCRIMINATOR
from codegen.designer.lint import json_schema
from codegen.designer.lint.document import Document, Node


class _Converter(json_schema._Converter):
    """The lint converter, plus one keyword (kept in step with it by subclassing)."""

    def _keywords(self, node: Node, skip: set[str]) -> dict[str, Any]:
        out = super()._keywords(node, skip)
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            out[DISCRIMINATOR] = {
                "propertyName": discriminator["propertyName"],
                "mapping": self._mapping(node, discriminator),
            }
        return out

    def _mapping(self, node: Node, discriminator: Mapping[str, Any]) -> dict[str, str]:
        """Explicit ``mapping`` entries first; a branch no entry names gets its
        component name (the implicit mapping)."""
        mapping: dict[str, str] = {}
        explicit = discriminator.get("mapping")
        for value, target in (explicit if isinstance(explicit, dict) else {}).items():
            if isinstance(target, str):
                # a bare name means a component schema (OpenAPI's mapping shorthand)
                ref = target if "/" in target else f"#/components/schemas/{target}"
                mapping[value] = self.ref(Node(node.file, node.pointer, {"$ref": ref})).get(
                    "$ref", ""
                )
        for keyword in ("oneOf", "anyOf"):
            for branch in node.child(keyword).elements():
                ref = branch.get("$ref")
                converted = self.ref(branch).get("$ref", "") if isinstance(ref, str) else ""
                if converted and converted not in mapping.values():
                    mapping[str(ref).rsplit("/", 1)[-1]] = converted
        return {value: ref for value, ref in mapping.items() if ref}


def response_schema(doc: Document, node: Node) -> dict[str, Any] | bool:
    """The response JSON Schema of ``node`` (see the module docstring)."""
    converter = _Converter(doc, RESPONSE)
    schema = converter.convert(node)
    if converter.defs and isinstance(schema, dict):
        schema = {**schema, "$defs": {**schema.get("$defs", {}), **converter.defs}}
    elif converter.defs:
        schema = {"allOf": [schema], "$defs": converter.defs}
    converted: dict[str, Any] | bool = forbid_write_only(
        schema if isinstance(schema, dict | bool) else {}
    )
    return converted


def forbid_write_only(schema: Any, defs: Mapping[str, Any] | None = None) -> Any:
    """``{"properties": {"pw": {"writeOnly": true}}}`` -> ``{"properties": {"pw": false}}``."""
    if isinstance(schema, list):
        return [forbid_write_only(item, defs) for item in schema]
    if not isinstance(schema, dict):
        return schema
    defs = defs if defs is not None else schema.get("$defs", {})
    out = {key: forbid_write_only(value, defs) for key, value in schema.items()}
    members = out.get("properties")
    if isinstance(members, dict):
        out["properties"] = {
            name: False if _write_only(member, defs) else member for name, member in members.items()
        }
    return out


def _write_only(member: Any, defs: Mapping[str, Any]) -> bool:
    for _ in range(8):  # follow a short chain of references
        if not isinstance(member, dict):
            return False
        if member.get("writeOnly") is True:
            return True
        ref = member.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            return False
        member = defs.get(ref.removeprefix("#/$defs/"))
    return False
