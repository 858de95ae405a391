"""IR schemas as JSON Schema 2020-12 (the OpenAPI 3.1 dialect): the published view.

The IR has already settled OpenAPI 3.0 against 3.1 (``nullable`` is a ``"null"``
type, exclusive bounds are numeric; :mod:`codegen.core.spec.openapi30`), so
this is a plain rendering of the model. Named schemas are referenced as
``#/components/schemas/<name>`` (:func:`component_ref`), the place the generated
package, drf-spectacular's published document and the SDK's model source keep
them; ``readOnly``, ``writeOnly`` and ``discriminator`` stay (documentation and
validation alike), the runtime's JSON Schema checks validate with the same dicts.

``to_json_schema(Schema(types=("null", "string"), max_length=3))`` ->
``{"type": ["null", "string"], "maxLength": 3}``.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from codegen.core.ir.model import MISSING, Schema, SchemaNode, SchemaRef


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


def to_json_schema(node: SchemaNode, *, as_written: bool = True) -> dict[str, Any]:
    """One IR schema node as a JSON Schema dict (keys in a fixed order).

    A schema validated as written (``Schema.as_written``: ``$dynamicRef``,
    ``unevaluated*``, meta-schemas) is a ``$ref`` to its URI in the API's
    schema resources, which the runtime's validator holds. A consumer without
    those resources (the SDK's model generator) passes ``as_written=False``
    and gets the schema's modelled keywords instead."""
    if isinstance(node, SchemaRef):
        return {"$ref": component_ref(node.name)}
    if node.as_written is not None and as_written:
        return {"$ref": node.as_written}
    out: dict[str, Any] = {}
    if node.types:
        out["type"] = node.types[0] if len(node.types) == 1 else list(node.types)
    for attr, keyword in _SCALARS:
        value = getattr(node, attr)
        if value is not None:
            out[keyword] = value
    if node.enum is not None:
        out["enum"] = list(node.enum)
    if node.const is not MISSING:
        out["const"] = node.const
    if node.default is not MISSING:
        out["default"] = node.default
    _arrays(node, out, as_written)
    _objects(node, out, as_written)
    _composition(node, out, as_written)
    for flag, keyword in (("read_only", "readOnly"), ("write_only", "writeOnly")):
        if getattr(node, flag):
            out[keyword] = True
    if node.deprecated:
        out["deprecated"] = True
    for keyword, value in node.unmodeled:
        out[keyword] = value
    return out


def _arrays(node: Schema, out: dict[str, Any], as_written: bool) -> None:
    if node.prefix_items:
        out["prefixItems"] = [
            to_json_schema(item, as_written=as_written) for item in node.prefix_items
        ]
    if node.items is not None:
        out["items"] = to_json_schema(node.items, as_written=as_written)
    if node.unique_items:
        out["uniqueItems"] = True


def _objects(node: Schema, out: dict[str, Any], as_written: bool) -> None:
    if node.properties:
        out["properties"] = {
            p.name: to_json_schema(p.schema, as_written=as_written) for p in node.properties
        }
        required = [p.name for p in node.properties if p.required]
        if required:
            out["required"] = required
    if node.pattern_properties:
        out["patternProperties"] = {
            k: to_json_schema(v, as_written=as_written) for k, v in node.pattern_properties
        }
    if node.additional_properties is False:
        out["additionalProperties"] = False
    elif node.additional_properties is not True:
        out["additionalProperties"] = to_json_schema(
            node.additional_properties, as_written=as_written
        )


def _composition(node: Schema, out: dict[str, Any], as_written: bool) -> None:
    for attr, keyword in (("all_of", "allOf"), ("one_of", "oneOf"), ("any_of", "anyOf")):
        members = getattr(node, attr)
        if members:
            out[keyword] = [to_json_schema(m, as_written=as_written) for m in members]
    if node.not_ is not None:
        out["not"] = to_json_schema(node.not_, as_written=as_written)
    if node.discriminator is not None:
        out["discriminator"] = {
            "propertyName": node.discriminator.property_name,
            "mapping": {value: component_ref(name) for value, name in node.discriminator.mapping},
        }
