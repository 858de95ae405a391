"""Which properties a JSON request body holds, as folded JSON pointers.

A body is walked along its schema: a property the schema declares is named
(``/customer/name``), an array element is ``-`` whatever its index
(``/lines/-/sku``), and a key the schema does not declare (a free-form map, an
unknown property) is ``*``: such keys are data the client chose, and may be
personal (a map keyed by e-mail address), so they are never recorded. Values
are never looked at beyond their JSON type.

The diff names the places it compares with :func:`pointer` over the same
tokens, so a recorded pointer and a diff finding meet on the same string.

Example: schema ``{properties: {lines: {type: array, items: {properties:
{sku: {}}}}}}`` and body ``{"lines": [{"sku": "a"}, {"sku": "b", "x": 1}]}`` →
``["/lines", "/lines/-", "/lines/-/sku", "/lines/-/*"]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from codegen.core.spec.pointer import PointerError, escape, lookup, split

ELEMENT = "-"  # any array element
UNDECLARED = "*"  # any key the schema does not declare
MAX_DEPTH = 32

Resolve = Callable[[Any], Any]


def pointer(tokens: Iterable[str]) -> str:
    """``("lines", "-", "sku")`` → ``"/lines/-/sku"``; ``()`` → ``""`` (the body)."""
    return "".join("/" + (t if t in (ELEMENT, UNDECLARED) else escape(t)) for t in tokens)


class BodyPaths:
    """Walks bodies along the schemas of one document; caches what each
    schema declares (the gateway walks the same few schemas again and again)."""

    def __init__(self, resolve: Resolve, limit: int = 256) -> None:
        self.resolve = resolve
        self.limit = limit
        self._declared: dict[int, tuple[dict[str, Any], Any, Any]] = {}

    def paths(self, body: Any, schema: Any) -> list[str]:
        """The folded pointers of every property present, in first-seen order,
        at most ``limit`` of them."""
        found: dict[str, None] = {}
        self._walk(body, schema, "", found, 0)
        return list(found)

    def _walk(self, value: Any, schema: Any, at: str, found: dict[str, None], depth: int) -> None:
        if depth > MAX_DEPTH or len(found) >= self.limit:
            return
        if isinstance(value, dict):
            properties, additional, _ = self._shape(schema)
            for key, item in value.items():
                sub = properties.get(key)
                here = f"{at}/{escape(key)}" if sub is not None else f"{at}/{UNDECLARED}"
                if len(found) >= self.limit:
                    return
                found[here] = None
                self._walk(item, sub if sub is not None else additional, here, found, depth + 1)
        elif isinstance(value, list):
            _, _, items = self._shape(schema)
            here = f"{at}/{ELEMENT}"
            for element in value:
                if len(found) >= self.limit:
                    return
                found[here] = None
                self._walk(element, items, here, found, depth + 1)

    def _shape(self, schema: Any) -> tuple[dict[str, Any], Any, Any]:
        """(declared properties, the schema of other keys, the schema of array
        elements), merged over ``allOf``/``oneOf``/``anyOf``."""
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping):
            return {}, None, None
        cached = self._declared.get(id(schema))
        if cached is not None:
            return cached
        properties: dict[str, Any] = {}
        additional: Any = None
        items: Any = None
        for part in _parts(schema, self.resolve, 0):
            for name, sub in (part.get("properties") or {}).items():
                properties.setdefault(str(name), sub)
            extra = part.get("additionalProperties")
            if additional is None and isinstance(extra, Mapping):
                additional = extra
            if items is None and isinstance(part.get("items"), Mapping):
                items = part["items"]
        shape = (properties, additional, items)
        self._declared[id(schema)] = shape
        return shape


def _parts(schema: Mapping[str, Any], resolve: Resolve, depth: int) -> list[Mapping[str, Any]]:
    """The schema and every subschema its combinators bring in, resolved."""
    parts = [schema]
    if depth > MAX_DEPTH:
        return parts
    for keyword in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(keyword) or ():
            resolved = resolve(sub)
            if isinstance(resolved, Mapping):
                parts += _parts(resolved, resolve, depth + 1)
    return parts


def local_resolver(document: Mapping[str, Any]) -> Resolve:
    """Follows local ``$ref`` (``#/components/schemas/X``) within ``document``,
    chains included; anything else (a remote or broken ref) resolves to ``None``."""

    def resolve(schema: Any) -> Any:
        for _ in range(MAX_DEPTH):
            ref = schema.get("$ref") if isinstance(schema, Mapping) else None
            if not isinstance(ref, str):
                return schema
            if not ref.startswith("#"):
                return None
            try:
                schema = lookup(document, split(ref[1:]))
            except PointerError:
                return None
        return None

    return resolve
