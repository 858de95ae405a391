"""Semantic comparison of two JSON Schemas that live in two OpenAPI documents.

Spellings that mean the same are made equal before comparing (:func:`canonical`):

* ``$ref`` chains are followed (so generated component names such as
  ``ProductRequest`` map back to the spec's ``Product``); recursion is safe;
* nullability in every form (3.0 ``nullable: true``, 3.1 ``type: [T, "null"]``,
  ``oneOf: [X, {type: "null"}]``, ``null`` inside ``enum``) becomes one flag;
* ``allOf`` with a single member is that member; ``type: [T]`` is ``T``;
  3.0's boolean ``exclusiveMinimum`` becomes 3.1's numeric one;
* defaults are dropped (``additionalProperties: true``, ``required: []``);
* order does not count (``enum``, ``required``, ``type`` lists, ``oneOf`` members);
* annotations do not count (descriptions, titles, examples, ``x-`` extensions);
* ``readOnly`` properties leave request schemas and ``writeOnly`` ones leave
  response schemas (drf-spectacular splits components by direction; a spec
  usually marks one schema).

Example: spec ``{"type": ["string", "null"], "format": "uuid"}`` and derived
``{"oneOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}]}`` with
``Id = {"type": "string", "format": "uuid"}`` compare equal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.drift.model import Difference

ANNOTATIONS = frozenset(
    {"description", "title", "summary", "example", "examples", "externalDocs", "$comment",
     "deprecated", "xml", "$schema", "$id", "$anchor", "$defs", "definitions"}
)
SUBSCHEMA = frozenset({"items", "not", "contains", "propertyNames", "if", "then", "else",
                       "unevaluatedItems", "unevaluatedProperties", "contentSchema"})
SUBSCHEMA_LISTS = frozenset({"oneOf", "anyOf", "allOf", "prefixItems"})
SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})
SET_VALUED = frozenset({"required", "type", "enum"})


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Doc:
    data: Mapping[str, Any]

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow local ``$ref``s: ``({"$ref": "#/components/schemas/A"}, p)`` -> ``(A, "#/components/schemas/A")``."""
        hops = 0
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and hops < 64:
            ref = node["$ref"]
            if not ref.startswith("#"):
                return node, pointer
            target: Any = self.data
            for token in [t for t in ref[1:].split("/") if t]:
                token = token.replace("~1", "/").replace("~0", "~")
                target = target.get(token) if isinstance(target, Mapping) else None
            node, pointer, hops = target, ref, hops + 1
        return node, pointer


@dataclass(frozen=True, slots=True)
class Sub:
    """A subschema not yet canonicalised: the raw node and where it is."""

    node: Any
    pointer: str


def _is_null_schema(doc: Doc, node: Any, pointer: str) -> bool:
    resolved, _ = doc.deref(node, pointer)
    return isinstance(resolved, Mapping) and resolved.get("type") == "null" and len(resolved) == 1


def _hidden(doc: Doc, node: Any, pointer: str, direction: str) -> bool:
    """Whether a property is absent in ``direction`` (readOnly in requests, writeOnly in responses)."""
    flag = "readOnly" if direction == "request" else "writeOnly"
    resolved, _ = doc.deref(node, pointer)
    return any(isinstance(n, Mapping) and n.get(flag) is True for n in (node, resolved))


def _hashable(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def canonical(doc: Doc, node: Any, pointer: str, direction: str) -> tuple[dict[str, Any], str]:
    """The schema at ``pointer`` in canonical form; subschemas stay :class:`Sub` for lazy recursion."""
    original, start = node, pointer
    node, pointer = doc.deref(node, pointer)
    if node is None and isinstance(original, Mapping) and "$ref" in original:
        return {"$ref": f"{original['$ref']} (does not resolve)"}, start
    if node is True or node is None:
        return {}, pointer
    if node is False:
        return {"not": Sub({}, pointer)}, pointer
    if not isinstance(node, Mapping):
        return {"invalid": node}, pointer
    out: dict[str, Any] = {}
    all_of = node.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1:
        out, _ = canonical(doc, all_of[0], f"{pointer}/allOf/0", direction)
    nullable = bool(out.pop("nullable", False)) or node.get("nullable") is True
    for key in ("oneOf", "anyOf"):
        branches = node.get(key)
        if not isinstance(branches, list):
            continue
        kept = [(i, b) for i, b in enumerate(branches) if not _is_null_schema(doc, b, f"{pointer}/{key}/{i}")]
        if len(kept) < len(branches):
            nullable = True
        if len(kept) == 1 and len(branches) > 1:
            inner, _ = canonical(doc, kept[0][1], f"{pointer}/{key}/{kept[0][0]}", direction)
            nullable = nullable or bool(inner.pop("nullable", False))
            out.update(inner)
        elif kept:
            out[key] = [Sub(b, f"{pointer}/{key}/{i}") for i, b in kept]
    for key, value in node.items():
        if key in ANNOTATIONS or key.startswith("x-") or key in ("nullable", "readOnly", "writeOnly"):
            continue
        if key in ("oneOf", "anyOf") or (key == "allOf" and len(value) == 1):
            continue
        where = f"{pointer}/{escape(key)}"
        if key == "type":
            types = {value} if isinstance(value, str) else set(value)
            nullable = nullable or "null" in types
            types.discard("null")
            if types:
                out["type"] = frozenset(types)
        elif key == "enum":
            nullable = nullable or None in value
            out["enum"] = frozenset(_hashable(v) for v in value if v is not None)
        elif key == "required":
            if value:
                out["required"] = frozenset(value)
        elif key == "additionalProperties":
            if value is False:
                out[key] = False
            elif isinstance(value, Mapping) and value:
                out[key] = Sub(value, where)
        elif key == "exclusiveMinimum" or key == "exclusiveMaximum":
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value is True and bound in node:
                out[key] = node[bound]
            elif not isinstance(value, bool):
                out[key] = value
        elif key in SUBSCHEMA:
            out[key] = Sub(value, where)
        elif key in SUBSCHEMA_LISTS:
            out[key] = [Sub(v, f"{where}/{i}") for i, v in enumerate(value)]
        elif key in SUBSCHEMA_MAPS:
            out[key] = {
                name: Sub(v, f"{where}/{escape(name)}")
                for name, v in value.items()
                if key != "properties" or not _hidden(doc, v, f"{where}/{escape(name)}", direction)
            }
        elif key == "discriminator" and isinstance(value, Mapping):
            out[key] = _hashable({"propertyName": value.get("propertyName"),
                                  "mapping": sorted((value.get("mapping") or {}).keys())})
        else:
            out[key] = value
    if out.get("exclusiveMinimum") is not None and node.get("exclusiveMinimum") is True:
        out.pop("minimum", None)
    if out.get("exclusiveMaximum") is not None and node.get("exclusiveMaximum") is True:
        out.pop("maximum", None)
    if "properties" in out and "required" in out:
        hidden = {n for n in node.get("required", []) if n not in out["properties"] and n in (node.get("properties") or {})}
        out["required"] = frozenset(out["required"] - hidden) or None
        if out["required"] is None:
            del out["required"]
    if nullable:
        out["nullable"] = True
    return out, pointer


def _show(value: Any) -> str:
    if isinstance(value, frozenset):
        return json.dumps(sorted(value))
    if isinstance(value, Sub):
        return "a schema"
    if isinstance(value, list | dict):
        return "schemas"
    return json.dumps(value) if not isinstance(value, str) else value


@dataclass
class SchemaComparison:
    """Compare schemas of ``source`` and ``derived``; differences accumulate in ``found``."""

    source: Doc
    derived: Doc
    operation: str
    found: list[Difference] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, message: str, source_pointer: str | None, derived_pointer: str | None) -> None:
        self.found.append(Difference(self.operation, message, source_pointer, derived_pointer))

    def compare(self, src: Sub, drv: Sub, direction: str) -> None:
        a, a_ptr = canonical(self.source, src.node, src.pointer, direction)
        b, b_ptr = canonical(self.derived, drv.node, drv.pointer, direction)
        key = (a_ptr, b_ptr, direction)
        if key in self._seen:
            return
        self._seen.add(key)
        for keyword in sorted(set(a) | set(b)):
            left, right = a.get(keyword), b.get(keyword)
            if keyword not in b:
                self.add(f"'{keyword}' is {_show(left)} in the spec, absent in the code", f"{a_ptr}/{keyword}", b_ptr)
            elif keyword not in a:
                self.add(f"'{keyword}' is {_show(right)} in the code, absent in the spec", a_ptr, f"{b_ptr}/{keyword}")
            elif isinstance(left, Sub) and isinstance(right, Sub):
                self.compare(left, right, direction)
            elif isinstance(left, dict) and isinstance(right, dict):
                self._compare_map(keyword, left, right, a_ptr, b_ptr, direction)
            elif isinstance(left, list) and isinstance(right, list) and all(isinstance(x, Sub) for x in left + right):
                self._compare_branches(keyword, left, right, a_ptr, b_ptr, direction)
            elif left != right:
                self.add(f"'{keyword}' is {_show(left)} in the spec, {_show(right)} in the code",
                         f"{a_ptr}/{keyword}", f"{b_ptr}/{keyword}")

    def _compare_map(self, keyword: str, left: dict[str, Sub], right: dict[str, Sub],
                     a_ptr: str, b_ptr: str, direction: str) -> None:
        for name in sorted(set(left) | set(right)):
            if name not in right:
                self.add(f"{keyword[:-3] if keyword.endswith('ies') else keyword} '{name}' is in the spec only",
                         left[name].pointer, f"{b_ptr}/{keyword}")
            elif name not in left:
                self.add(f"{'property' if keyword == 'properties' else keyword} '{name}' is in the code only",
                         f"{a_ptr}/{keyword}", right[name].pointer)
            else:
                self.compare(left[name], right[name], direction)

    def _compare_branches(self, keyword: str, left: list[Sub], right: list[Sub],
                          a_ptr: str, b_ptr: str, direction: str) -> None:
        """Members match in any order; an unmatched member is compared with its index twin."""
        if len(left) != len(right):
            self.add(f"'{keyword}' has {len(left)} members in the spec, {len(right)} in the code",
                     f"{a_ptr}/{keyword}", f"{b_ptr}/{keyword}")
            return
        unmatched = list(right)
        pairs: list[tuple[Sub, Sub]] = []
        for member in left:
            match = next((m for m in unmatched if self._equal(member, m, direction)), None)
            if match is None:
                pairs.append((member, unmatched[0]))
                unmatched.pop(0)
            else:
                unmatched.remove(match)
        for member, twin in pairs:
            self.compare(member, twin, direction)

    def _equal(self, src: Sub, drv: Sub, direction: str) -> bool:
        probe = SchemaComparison(self.source, self.derived, self.operation, [], set(self._seen))
        probe.compare(src, drv, direction)
        return not probe.found
