"""Flattening ``$ref`` and ``allOf`` so a generator sees one schema at a time.

``flatten`` replaces a local ``$ref`` by its target (merged with sibling
keywords) and folds every ``allOf`` member in with :func:`merge`, which keeps
the tighter of two constraints: the larger ``minimum``, the smaller
``maxLength``, the union of ``required`` and ``properties`` (a property in
both gets ``allOf`` of both), the intersection of ``type`` and ``enum``, both
``examples`` lists (the first schema's first).
``oneOf``/``anyOf`` stay as they are, for the generator to choose from.

``merge({"type": "object", "required": ["a"]}, {"required": ["b"], "maxProperties": 3}, root)``
-> ``{"type": "object", "required": ["a", "b"], "maxProperties": 3}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from codegen.core.spec.pointer import unescape

_LOWER_IS_TIGHTER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_HIGHER_IS_TIGHTER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_MAX_REFS = 64


def without(schema: Mapping[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != key}


def resolve(ref: str, root: Mapping[str, Any]) -> Any:
    """``"#/$defs/d0"`` -> ``root["$defs"]["d0"]`` (the fragment percent-decoded, then
    JSON-pointer unescaped); an unknown target is ``{}``."""
    if not ref.startswith("#"):
        return {}
    node: Any = root
    for token in [t for t in ref[1:].split("/") if t]:
        if isinstance(node, Mapping):
            node = node.get(unescape(unquote(token)), {})
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return {}
    return node


def flatten(schema: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` without top-level ``$ref`` and ``allOf`` (see the module docstring)."""
    out = dict(schema)
    for _ in range(_MAX_REFS):
        ref = out.pop("$ref", None)
        members = out.pop("allOf", None)
        if not isinstance(ref, str) and not isinstance(members, list):
            return out
        if isinstance(ref, str):
            target = resolve(ref, root)
            out = _combine(out, target if isinstance(target, Mapping) else {"not": {}})
        for member in members if isinstance(members, list) else []:
            out = _combine(out, member if isinstance(member, Mapping) else _boolean(member))
    return out


def _boolean(value: Any) -> dict[str, Any]:
    return {} if value is not False else {"not": {}}


def merge(a: Mapping[str, Any], b: Any, root: Mapping[str, Any]) -> dict[str, Any]:
    """Both schemas at once, flattened (see the module docstring)."""
    return flatten(_combine(a, b if isinstance(b, Mapping) else _boolean(b)), root)


def _combine(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = value
        elif key in ("$ref", "allOf"):
            out["allOf"] = (
                [*out.get("allOf", []), {key: value}]
                if key == "$ref"
                else [
                    *out.get("allOf", []),
                    *value,
                ]
            )
        else:
            out[key] = _keyword(key, out[key], value)
    return out


def _types(old: Any, new: Any) -> Any:
    first = [old] if isinstance(old, str) else list(old or [])
    second = [new] if isinstance(new, str) else list(new or [])
    if "number" in first and "integer" in second:
        first.append("integer")
    if "number" in second and "integer" in first:
        second.append("integer")
    both = [t for t in first if t in second]
    if not both:
        return new
    return both[0] if len(both) == 1 else both


def _properties(old: Any, new: Any) -> Any:
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        return new
    merged = dict(old)
    for name, schema in new.items():
        merged[name] = {"allOf": [old[name], schema]} if name in old else schema
    return merged


def _required(old: Any, new: Any) -> Any:
    both = isinstance(old, list) and isinstance(new, list)
    return list(dict.fromkeys([*old, *new])) if both else new


def _enum(old: Any, new: Any) -> Any:
    both = isinstance(old, list) and isinstance(new, list)
    return ([v for v in old if v in new] or new) if both else new


def _examples(old: Any, new: Any) -> Any:
    """Both lists, the first schema's first: each is only a candidate, validated."""
    both = isinstance(old, list) and isinstance(new, list)
    return [*old, *new] if both else new


def _subschemas(old: Any, new: Any) -> Any:
    return False if old is False or new is False else {"allOf": [old, new]}


# keyword -> how two values of it combine (anything else: the second wins)
_COMBINERS: dict[str, Any] = {
    "properties": _properties,
    "required": _required,
    "enum": _enum,
    "examples": _examples,
    "type": _types,
    "items": _subschemas,
    "additionalProperties": _subschemas,
    "not": lambda old, new: {"anyOf": [old, new]},
    "contains": lambda old, new: {"allOf": [old, new]},
    "oneOf": lambda old, new: old,  # the second choice is checked by validation
    "anyOf": lambda old, new: old,
}


def _keyword(key: str, old: Any, new: Any) -> Any:
    if isinstance(old, int | float) and isinstance(new, int | float):
        if key in _LOWER_IS_TIGHTER:
            return min(old, new)
        if key in _HIGHER_IS_TIGHTER:
            return max(old, new)
    combine = _COMBINERS.get(key)
    return combine(old, new) if combine is not None else new
