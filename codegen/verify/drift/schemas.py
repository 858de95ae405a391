"""Semantic comparison of two JSON Schemas that live in two OpenAPI documents.

Spellings that mean the same are made equal before comparing (:func:`canonical`):

* ``$ref`` chains are followed (so generated component names such as
  ``ProductRequest`` map back to the spec's ``Product``); recursion is safe;
* each schema object is read in 2020-12 terms as the IR reads it
  (:func:`codegen.core.spec.openapi30.upgrade`: 3.0's ``nullable``, also beside a
  ``$ref``, becomes ``"null"`` in ``type`` or a null branch; boolean
  ``exclusiveMinimum`` becomes the numeric one); then nullability in every 2020-12
  form (``type: [T, "null"]``, ``oneOf: [X, {type: "null"}]``, ``null`` inside
  ``enum``) becomes one flag;
* ``allOf`` with a single member is that member; ``type: [T]`` is ``T``;
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

from codegen.core.spec import openapi30
from codegen.core.spec.keywords import SUBSCHEMA, SUBSCHEMA_LISTS, SUBSCHEMA_MAPS
from codegen.verify.drift.model import Difference

ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "summary",
        "example",
        "examples",
        "externalDocs",
        "$comment",
        "deprecated",
        "xml",
        "$schema",
        "$id",
        "$anchor",
        "$defs",
        "definitions",
    }
)
MEMBER_NAMES = {
    "properties": "property",
    "patternProperties": "pattern property",
    "dependentSchemas": "dependent schema",
}


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Doc:
    data: Mapping[str, Any]

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow local ``$ref``s.

        ``({"$ref": "#/components/schemas/A"}, p)`` -> ``(A, "#/components/schemas/A")``.
        """
        hops = 0
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and hops < 64:
            ref = node["$ref"]
            if not ref.startswith("#"):
                return node, pointer
            target: Any = self.data
            for raw in [t for t in ref[1:].split("/") if t]:
                token = raw.replace("~1", "/").replace("~0", "~")
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
    """Whether a property is absent in ``direction``.

    readOnly properties are absent from requests, writeOnly ones from responses.
    """
    flag = "readOnly" if direction == "request" else "writeOnly"
    resolved, _ = doc.deref(node, pointer)
    return any(isinstance(n, Mapping) and n.get(flag) is True for n in (node, resolved))


def _hashable(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@dataclass
class _Canon:
    """The canonical form being built for one schema node."""

    doc: Doc
    node: Mapping[str, Any]
    pointer: str
    direction: str
    out: dict[str, Any] = field(default_factory=dict)
    nullable: bool = False

    def where(self, key: str) -> str:
        return f"{self.pointer}/{escape(key)}"


def _type(c: _Canon, key: str, value: Any) -> None:
    types = {value} if isinstance(value, str) else set(value)
    c.nullable = c.nullable or "null" in types
    types.discard("null")
    if types:
        c.out["type"] = frozenset(types)


def _enum(c: _Canon, key: str, value: Any) -> None:
    c.nullable = c.nullable or None in value
    c.out["enum"] = frozenset(_hashable(v) for v in value if v is not None)


def _required(c: _Canon, key: str, value: Any) -> None:
    if value:
        c.out["required"] = frozenset(value)


def _additional(c: _Canon, key: str, value: Any) -> None:
    if value is False:
        c.out[key] = False
    elif isinstance(value, Mapping) and value:
        c.out[key] = Sub(value, c.where(key))


def _subschema(c: _Canon, key: str, value: Any) -> None:
    c.out[key] = Sub(value, c.where(key))


def _subschema_list(c: _Canon, key: str, value: Any) -> None:
    c.out[key] = [Sub(v, f"{c.where(key)}/{i}") for i, v in enumerate(value)]


def _subschema_map(c: _Canon, key: str, value: Any) -> None:
    where = c.where(key)
    c.out[key] = {
        name: Sub(v, f"{where}/{escape(name)}")
        for name, v in value.items()
        if key != "properties" or not _hidden(c.doc, v, f"{where}/{escape(name)}", c.direction)
    }


def _discriminator(c: _Canon, key: str, value: Any) -> None:
    """Mapping targets are component names, which differ by design: compare the keys."""
    if isinstance(value, Mapping):
        mapping = sorted((value.get("mapping") or {}).keys())
        c.out[key] = _hashable({"propertyName": value.get("propertyName"), "mapping": mapping})


def _ignore(c: _Canon, key: str, value: Any) -> None:
    return None


KEYWORDS: dict[str, Any] = {
    **dict.fromkeys(SUBSCHEMA, _subschema),
    **dict.fromkeys(SUBSCHEMA_LISTS, _subschema_list),
    **dict.fromkeys(SUBSCHEMA_MAPS, _subschema_map),
    "type": _type,
    "enum": _enum,
    "required": _required,
    "additionalProperties": _additional,
    "discriminator": _discriminator,
    # handled before the keyword loop (nullability and single-member wrappers)
    "readOnly": _ignore,
    "writeOnly": _ignore,
    "oneOf": _ignore,
    "anyOf": _ignore,
    **dict.fromkeys(ANNOTATIONS, _ignore),  # $defs and definitions among them
}


def _unwrap(c: _Canon) -> None:
    """Single ``allOf`` members and ``oneOf``/``anyOf`` null branches fold into the node."""
    all_of = c.node.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1:
        inner, _ = canonical(c.doc, all_of[0], f"{c.pointer}/allOf/0", c.direction)
        c.out.update(inner)
    c.nullable = bool(c.out.pop("nullable", False))
    for key in ("oneOf", "anyOf"):
        branches = c.node.get(key)
        if not isinstance(branches, list):
            continue
        kept = [
            (i, b)
            for i, b in enumerate(branches)
            if not _is_null_schema(c.doc, b, f"{c.pointer}/{key}/{i}")
        ]
        c.nullable = c.nullable or len(kept) < len(branches)
        if len(kept) == 1 and len(branches) > 1:
            inner, _ = canonical(c.doc, kept[0][1], f"{c.pointer}/{key}/{kept[0][0]}", c.direction)
            c.nullable = c.nullable or bool(inner.pop("nullable", False))
            c.out.update(inner)
        elif kept:
            c.out[key] = [Sub(b, f"{c.pointer}/{key}/{i}") for i, b in kept]


def _finish(c: _Canon) -> dict[str, Any]:
    out = c.out
    if "properties" in out and "required" in out:
        declared = c.node.get("properties") or {}
        hidden = {n for n in out["required"] if n in declared and n not in out["properties"]}
        out["required"] = frozenset(out["required"] - hidden)
        if not out["required"]:
            del out["required"]
    if c.nullable:
        out["nullable"] = True
    return out


def canonical(doc: Doc, node: Any, pointer: str, direction: str) -> tuple[dict[str, Any], str]:
    """The schema at ``pointer`` in canonical form; subschemas stay :class:`Sub` for lazy
    recursion. ``{"type": ["string", "null"]}`` -> ``{"type": {"string"}, "nullable": True}``."""
    original, start = node, pointer
    if isinstance(node, Mapping):  # before $ref is followed: "this reference or null"
        node = openapi30.upgrade(node)
    node, pointer = doc.deref(node, pointer)
    if node is None and isinstance(original, Mapping) and "$ref" in original:
        return {"$ref": f"{original['$ref']} (does not resolve)"}, start
    if node is True or node is None:
        return {}, pointer
    if node is False:
        return {"not": Sub({}, pointer)}, pointer
    if not isinstance(node, Mapping):
        return {"invalid": node}, pointer
    c = _Canon(doc, openapi30.upgrade(node), pointer, direction)
    _unwrap(c)
    for key, value in c.node.items():
        if key.startswith("x-") or (key == "allOf" and len(value) == 1):
            continue
        handler = KEYWORDS.get(key)
        if handler is None:
            c.out[key] = value
        else:
            handler(c, key, value)
    return _finish(c), pointer


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
                self.add(
                    f"'{keyword}' is {_show(left)} in the spec, absent in the code",
                    f"{a_ptr}/{keyword}",
                    b_ptr,
                )
            elif keyword not in a:
                self.add(
                    f"'{keyword}' is {_show(right)} in the code, absent in the spec",
                    a_ptr,
                    f"{b_ptr}/{keyword}",
                )
            elif isinstance(left, Sub) and isinstance(right, Sub):
                self.compare(left, right, direction)
            elif isinstance(left, dict) and isinstance(right, dict):
                self._compare_map(keyword, left, right, ptrs=(a_ptr, b_ptr), direction=direction)
            elif (
                isinstance(left, list)
                and isinstance(right, list)
                and all(isinstance(x, Sub) for x in left + right)
            ):
                self._compare_branches(
                    keyword, left, right, ptrs=(a_ptr, b_ptr), direction=direction
                )
            elif left != right:
                self.add(
                    f"'{keyword}' is {_show(left)} in the spec, {_show(right)} in the code",
                    f"{a_ptr}/{keyword}",
                    f"{b_ptr}/{keyword}",
                )

    def _compare_map(
        self,
        keyword: str,
        left: dict[str, Sub],
        right: dict[str, Sub],
        *,
        ptrs: tuple[str, str],
        direction: str,
    ) -> None:
        a_ptr, b_ptr = ptrs
        member = MEMBER_NAMES.get(keyword, keyword)
        for name in sorted(set(left) | set(right)):
            if name not in right:
                self.add(
                    f"{member} '{name}' is in the spec only",
                    left[name].pointer,
                    f"{b_ptr}/{keyword}",
                )
            elif name not in left:
                self.add(
                    f"{member} '{name}' is in the code only",
                    f"{a_ptr}/{keyword}",
                    right[name].pointer,
                )
            else:
                self.compare(left[name], right[name], direction)

    def _compare_branches(
        self,
        keyword: str,
        left: list[Sub],
        right: list[Sub],
        *,
        ptrs: tuple[str, str],
        direction: str,
    ) -> None:
        """Members match in any order; an unmatched member is compared with its index twin."""
        a_ptr, b_ptr = ptrs
        if len(left) != len(right):
            self.add(
                f"'{keyword}' has {len(left)} members in the spec, {len(right)} in the code",
                f"{a_ptr}/{keyword}",
                f"{b_ptr}/{keyword}",
            )
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
