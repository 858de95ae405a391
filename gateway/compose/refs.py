"""Rewrite local component references after components were renamed.

``renames`` maps ``(kind, old name)`` to the new name. Every ``$ref`` to
``#/components/<kind>/<old>`` (or below it) is rewritten, and so are
discriminator ``mapping`` values (refs or bare schema names). Example data
(``example``, ``default``, ``enum``, ...) is never touched, since a ``$ref``
key there is data, not a reference.

Example::

    >>> rewrite_refs({"$ref": "#/components/schemas/Item"}, {("schemas", "Item"): "a_Item"})
    {'$ref': '#/components/schemas/a_Item'}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codegen.core.spec.keywords import DATA_OR_VALUE, NAME_MAPS
from codegen.core.spec.pointer import escape, split

Renames = Mapping[tuple[str, str], str]


def rewrite_refs(node: Any, renames: Renames) -> Any:
    """A copy of ``node`` with every reference to a renamed component rewritten."""
    if not renames:
        return node
    return _rewrite(node, renames, names=False)


def _rewrite(node: Any, renames: Renames, names: bool) -> Any:
    if isinstance(node, list):
        return [_rewrite(item, renames, names=False) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if names:
            out[key] = _rewrite(value, renames, names=False)
        elif key == "$ref" and isinstance(value, str):
            out[key] = rewrite_ref(value, renames)
        elif key == "discriminator" and isinstance(value, dict):
            out[key] = _discriminator(value, renames)
        elif (
            key in DATA_OR_VALUE
            or key.startswith("x-")
            or (key == "examples" and isinstance(value, list))
        ):
            out[key] = value
        else:
            out[key] = _rewrite(value, renames, names=key in NAME_MAPS or key == "examples")
    return out


def rewrite_ref(ref: str, renames: Renames) -> str:
    """``#/components/schemas/Item/properties/x`` → ``#/components/schemas/a_Item/properties/x``
    when ``Item`` was renamed ``a_Item``; other refs are returned unchanged."""
    if not ref.startswith("#/components/"):
        return ref
    tokens = split(ref[1:])
    if len(tokens) < 3:
        return ref
    new = renames.get((tokens[1], tokens[2]))
    if new is None:
        return ref
    return "#/" + "/".join(escape(t) for t in ["components", tokens[1], new, *tokens[3:]])


def _discriminator(value: dict[str, Any], renames: Renames) -> dict[str, Any]:
    mapping = value.get("mapping")
    if not isinstance(mapping, dict):
        return dict(value)
    rewritten: dict[str, Any] = {}
    for key, target in mapping.items():
        if isinstance(target, str) and target.startswith("#"):
            rewritten[key] = rewrite_ref(target, renames)
        elif isinstance(target, str) and ("schemas", target) in renames:
            rewritten[key] = renames[("schemas", target)]
        else:
            rewritten[key] = target
    return {**value, "mapping": rewritten}
