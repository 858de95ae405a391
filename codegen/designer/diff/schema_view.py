"""What a schema means, independent of how it is written.

The diff compares meaning, not text: ``$ref`` is followed, ``allOf`` members
are merged into one view, and each schema object is read in 2020-12 terms
through :func:`codegen.core.spec.openapi30.upgrade`, as the IR reads it (3.0's
``nullable``, also beside a ``$ref``, and boolean ``exclusiveMinimum`` become
3.1's ``type: [x, "null"]``, null branch and numeric bound); a
``oneOf``/``anyOf`` of one schema and ``{type: 'null'}`` is that schema,
nullable. So moving an inline schema into ``components``, or writing
``anyOf: [{$ref: Money}, {type: 'null'}]`` instead of 3.0's ``nullable``, is
not a change in itself.

Example: ``allOf: [{$ref: Base}, {properties: {b: ...}, required: [b]}]`` with
``Base = {type: object, properties: {a: ...}}`` → ``SchemaView(types={"object"},
properties={"a": ..., "b": ...}, required={"b"}, ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codegen.core.spec import openapi30
from codegen.designer.lint.document import Document, Node

SIZE_KEYWORDS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
OTHER_KEYWORDS = ("pattern", "format", "multipleOf", "uniqueItems")
DOC_KEYWORDS = ("description", "title", "summary")
# Values of another type are malformed (``specfirst validate`` reports them) and ignored.
KEYWORD_TYPES: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(SIZE_KEYWORDS, (int,)),
    "pattern": (str,),
    "format": (str,),
    "multipleOf": (int, float),
    "uniqueItems": (bool,),
}


def _is(value: Any, kinds: tuple[type, ...]) -> bool:
    """``isinstance`` where a bool is not a number."""
    return isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool))


@dataclass
class SchemaView:
    node: Node  # the schema as written (dereferenced)
    types: set[str] = field(default_factory=set)  # JSON types without "null"; empty: any
    nullable: bool = False
    properties: dict[str, Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    additional: bool | Node = True
    enum: list[Any] | None = None
    items: Node | None = None
    variants: list[Node] = field(default_factory=list)  # oneOf/anyOf alternatives
    single: Node | None = None  # the one non-null alternative merged into this view
    lower: tuple[float, bool] | None = None  # (bound, exclusive)
    upper: tuple[float, bool] | None = None
    keywords: dict[str, Any] = field(default_factory=dict)  # SIZE_ and OTHER_KEYWORDS
    read_only: bool = False
    write_only: bool = False


def _types(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {t for t in value if isinstance(t, str)}
    return set()


def _is_null_schema(doc: Document, node: Node) -> bool:
    schema = doc.deref(node).value
    if not isinstance(schema, dict):
        return False
    written = openapi30.upgrade(schema)
    return _types(written.get("type")) == {"null"} or written.get("enum") == [None]


def _admits_null(schema: Any) -> bool:
    """Whether a schema object's own keywords admit null, read as the IR reads
    them (:func:`~codegen.core.spec.openapi30.upgrade`, ``nullable`` honoured in
    every version): ``"null"`` among its types, or the null branch that
    ``nullable`` adds to a reference or composite."""
    if not isinstance(schema, dict):
        return False
    written = openapi30.upgrade(schema)
    branches = written.get("anyOf") if openapi30.needs_null_branch(schema) else None
    return "null" in _types(written.get("type")) or isinstance(branches, list)


def view(doc: Document, node: Node) -> SchemaView:
    """The :class:`SchemaView` of ``node`` (``$ref`` followed, ``allOf`` merged)."""
    result = SchemaView(doc.deref(node))
    _merge(doc, result, node, set(), own=True)
    return result


def _merge(
    doc: Document, out: SchemaView, raw: Node, seen: set[tuple[str, str]], own: bool
) -> None:
    if raw.is_ref and _admits_null(raw.value):  # "this reference or null"
        out.nullable = out.nullable or own
    node = doc.deref(raw)
    schema = node.value
    if not isinstance(schema, dict) or node.key in seen:
        return
    seen.add(node.key)
    declared = _merge_keywords(out, node, own)
    variants: list[Node] = []
    null_branch = False
    for keyword in ("oneOf", "anyOf"):
        for branch in node.child(keyword).elements():
            if _is_null_schema(doc, branch):
                null_branch = True
                out.nullable = out.nullable or own
            else:
                variants.append(branch)
    if null_branch and len(variants) == 1 and not declared and "properties" not in schema:
        out.single = out.single or variants[0]
        _merge(doc, out, variants[0], seen, own=False)
    else:
        out.variants.extend(variants)
    for member in node.child("allOf").elements():
        _merge(doc, out, member, seen, own=False)


def _merge_keywords(out: SchemaView, node: Node, own: bool) -> set[str]:
    """Merge the keywords of ``node`` (a schema object, read in 2020-12 terms) other
    than its composition; its declared types without "null" are returned."""
    schema = openapi30.upgrade(node.value)
    if _admits_null(node.value):
        out.nullable = out.nullable or own
    declared = _types(schema.get("type"))
    declared.discard("null")
    if declared:
        out.types = declared if not out.types else (out.types & declared) or declared
    for name, prop in node.child("properties").items():
        out.properties.setdefault(name, prop)
    required = schema.get("required")
    if isinstance(required, list):
        out.required |= {r for r in required if isinstance(r, str)}
    _merge_scalars(out, node, schema)
    return declared


def _merge_scalars(out: SchemaView, node: Node, schema: dict[str, Any]) -> None:
    """The scalar keywords of ``schema`` (``node``'s value in 2020-12 terms)."""
    if "enum" in schema and isinstance(schema["enum"], list) and out.enum is None:
        values = list(schema["enum"])
        if None in values:
            out.nullable = True
            values = [v for v in values if v is not None]
        out.enum = values
    if "const" in schema and out.enum is None:
        out.enum = [schema["const"]]
    if out.items is None and isinstance(schema.get("items"), dict):
        out.items = node.child("items")
    extra = schema.get("additionalProperties")
    if out.additional is True and extra is not None:
        out.additional = (
            node.child("additionalProperties") if isinstance(extra, dict) else bool(extra)
        )
    for keyword, kinds in KEYWORD_TYPES.items():
        value = schema.get(keyword)
        if _is(value, kinds) and keyword not in out.keywords:
            out.keywords[keyword] = value
    lower, upper = _bounds(schema)
    out.lower = out.lower if out.lower is not None else lower
    out.upper = out.upper if out.upper is not None else upper
    out.read_only = out.read_only or schema.get("readOnly") is True
    out.write_only = out.write_only or schema.get("writeOnly") is True


def _bounds(
    schema: dict[str, Any],
) -> tuple[tuple[float, bool] | None, tuple[float, bool] | None]:
    """``(lower, upper)`` bounds as ``(value, exclusive)`` of a schema whose 3.0
    boolean flags are already numeric (:func:`codegen.core.spec.openapi30.exclusive_bounds`):
    3.0 ``{minimum: 5, exclusiveMinimum: true}`` and 3.1 ``{exclusiveMinimum: 5}``
    both give ``lower == (5, True)``."""
    bounds: list[tuple[float, bool] | None] = []
    for inclusive, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        value, flag = schema.get(inclusive), schema.get(exclusive)
        number = (int, float)
        bound: tuple[float, bool] | None
        if isinstance(flag, number) and not isinstance(flag, bool):
            exclusive_bound = (flag, True)
            inclusive_bound = (value, False) if isinstance(value, number) else None
            tighter = max if inclusive == "minimum" else min
            bound = (
                exclusive_bound
                if inclusive_bound is None
                else tighter(exclusive_bound, inclusive_bound, key=_order(inclusive == "minimum"))
            )
        else:
            bound = (
                (value, False)
                if isinstance(value, number) and not isinstance(value, bool)
                else None
            )
        bounds.append(bound)
    return bounds[0], bounds[1]


def _order(is_lower: bool) -> Any:
    """Sort key making "tighter" comparable: for a lower bound, exclusive is tighter."""
    return lambda bound: (bound[0], bound[1] if is_lower else not bound[1])
