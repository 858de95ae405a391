"""IR schemas as JSON Schema 2020-12 (the OpenAPI 3.1 dialect): the published view.

The IR has already settled OpenAPI 3.0 against 3.1 (``nullable`` is a ``"null"``
type, exclusive bounds are numeric; :mod:`codegen.core.spec.openapi30`), so
this is a plain rendering of the model. Named schemas are referenced as
``#/components/schemas/<name>`` (:func:`component_ref`), the place the generated
package, drf-spectacular's published document and the SDK's model source keep
them; ``readOnly``, ``writeOnly`` and ``discriminator`` stay (documentation and
validation alike), the runtime's JSON Schema checks validate with the same dicts.

:func:`instance_schema` is the same view made self-contained for one direction,
with ``examples`` kept: what :mod:`codegen.core.synth` needs to make a value for
an IR schema (the SDK README's example calls).

``to_json_schema(Schema(types=("null", "string"), max_length=3))`` ->
``{"type": ["null", "string"], "maxLength": 3}``.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from codegen.core.ir.model import MISSING, Api, Schema, SchemaNode, SchemaRef
from codegen.core.openapi import UNSENT, Direction


def component_ref(name: str) -> str:
    """``component_ref("A/b")`` -> ``"#/components/schemas/A~1b"``."""
    token = name.replace("~", "~0").replace("/", "~1")
    return "#/components/schemas/" + urllib.parse.quote(token, safe="~")


# IR attribute -> JSON Schema keyword, for values copied as they are.
_SCALARS: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("description", "description"),
    ("format", "format"),
    ("min_length", "minLength"),
    ("max_length", "maxLength"),
    ("pattern", "pattern"),
    ("content_media_type", "contentMediaType"),
    ("content_encoding", "contentEncoding"),
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("exclusive_minimum", "exclusiveMinimum"),
    ("exclusive_maximum", "exclusiveMaximum"),
    ("multiple_of", "multipleOf"),
    ("min_items", "minItems"),
    ("max_items", "maxItems"),
    ("min_properties", "minProperties"),
    ("max_properties", "maxProperties"),
)
# annotation keyword -> the IR's flag
_FLAGS = {"readOnly": "read_only", "writeOnly": "write_only"}


@dataclass(frozen=True, slots=True)
class _View:
    """The options of one conversion, and the named schemas it referenced."""

    as_written: bool = True
    examples: bool = False
    # with a direction, properties it does not send leave ``required`` (needs ``api``)
    direction: Direction | None = None
    api: Api | None = None
    reached: set[str] = field(default_factory=set)


def to_json_schema(node: SchemaNode, *, as_written: bool = True) -> dict[str, Any]:
    """One IR schema node as a JSON Schema dict (keys in a fixed order).

    A schema validated as written (``Schema.as_written``: ``$dynamicRef``,
    ``unevaluated*``, meta-schemas) is a ``$ref`` to its URI in the API's
    schema resources, which the runtime's validator holds. A consumer without
    those resources (the SDK's model generator) passes ``as_written=False``
    and gets the schema's modelled keywords instead."""
    return _convert(node, _View(as_written=as_written))


def instance_schema(api: Api, node: SchemaNode, direction: Direction) -> dict[str, Any]:
    """``node`` as one self-contained JSON Schema to synthesize a value with: the
    named schemas it reaches under ``components/schemas``, ``examples`` kept,
    properties ``direction`` does not send out of ``required``, schemas validated
    as written given as their modelled keywords (a synthesizer holds no resources).

    ``instance_schema(api, SchemaRef("Id"), "request")``, ``Id`` an integer with
    example 7 -> ``{"$ref": "#/components/schemas/Id", "components": {"schemas":
    {"Id": {"type": "integer", "examples": [7]}}}}``.
    """
    view = _View(as_written=False, examples=True, direction=direction, api=api)
    root = _convert(node, view)
    schemas: dict[str, Any] = {}
    while pending := sorted(view.reached - schemas.keys()):
        for name in pending:
            schemas[name] = _convert(api.schemas[name], view) if name in api.schemas else {}
    return {**root, "components": {"schemas": dict(sorted(schemas.items()))}} if schemas else root


def _convert(node: SchemaNode, view: _View) -> dict[str, Any]:
    if isinstance(node, SchemaRef):
        view.reached.add(node.name)
        return {"$ref": component_ref(node.name)}
    if node.as_written is not None and view.as_written:
        return {"$ref": node.as_written}
    out: dict[str, Any] = {}
    if node.types:
        out["type"] = node.types[0] if len(node.types) == 1 else list(node.types)
    for attr, keyword in _SCALARS:
        value = getattr(node, attr)
        if value is not None:
            out[keyword] = value
    _values(node, out, view)
    _arrays(node, out, view)
    _objects(node, out, view)
    _composition(node, out, view)
    for keyword, flag in _FLAGS.items():
        if getattr(node, flag):
            out[keyword] = True
    if node.deprecated:
        out["deprecated"] = True
    for keyword, value in node.unmodeled:
        out[keyword] = value
    return out


def _values(node: Schema, out: dict[str, Any], view: _View) -> None:
    if node.enum is not None:
        out["enum"] = list(node.enum)
    if node.const is not MISSING:
        out["const"] = node.const
    if node.default is not MISSING:
        out["default"] = node.default
    if view.examples and node.examples:
        out["examples"] = list(node.examples)


def _arrays(node: Schema, out: dict[str, Any], view: _View) -> None:
    if node.prefix_items:
        out["prefixItems"] = [_convert(item, view) for item in node.prefix_items]
    if node.items is not None:
        out["items"] = _convert(node.items, view)
    if node.unique_items:
        out["uniqueItems"] = True


def _objects(node: Schema, out: dict[str, Any], view: _View) -> None:
    if node.properties:
        out["properties"] = {p.name: _convert(p.schema, view) for p in node.properties}
        required = [p.name for p in node.properties if p.required and _sent(p.schema, view)]
        if required:
            out["required"] = required
    if node.pattern_properties:
        out["patternProperties"] = {k: _convert(v, view) for k, v in node.pattern_properties}
    if node.additional_properties is False:
        out["additionalProperties"] = False
    elif node.additional_properties is not True:
        out["additionalProperties"] = _convert(node.additional_properties, view)


def _sent(node: SchemaNode, view: _View) -> bool:
    """Whether the view's direction sends a property of schema ``node``."""
    if view.direction is None or view.api is None:
        return True
    return not getattr(view.api.resolve(node), _FLAGS[UNSENT[view.direction]])


def _composition(node: Schema, out: dict[str, Any], view: _View) -> None:
    for attr, keyword in (("all_of", "allOf"), ("one_of", "oneOf"), ("any_of", "anyOf")):
        members = getattr(node, attr)
        if members:
            out[keyword] = [_convert(m, view) for m in members]
    if node.not_ is not None:
        out["not"] = _convert(node.not_, view)
    if node.discriminator is not None:
        out["discriminator"] = {
            "propertyName": node.discriminator.property_name,
            "mapping": {value: component_ref(name) for value, name in node.discriminator.mapping},
        }
