"""IR schema nodes -> Python expressions building the runtime's strict fields.

Each expression is text for the generated module, using the names that
module imports (``f`` = ``servicekit.contract.fields``, ``registry`` = the
package's serializer registry, ``decimal``).

``field_expr(Schema(types=("integer",), minimum=1), required=False)`` ->
``'f.Integer(minimum=1, required=False)'``;
``field_expr(SchemaRef("Pet"))`` -> ``'registry.ref("Pet")'``.

Keywords that no field argument expresses (``prefixItems``, ``not``,
``patternProperties``, composition inside an inline schema, and every
keyword in :attr:`Schema.unmodeled`) are enforced by a JSON Schema check
(``check=registry.check({...})``); :func:`json_schema_only` names them so the
generated code can say so in a comment.
"""

from __future__ import annotations

from codegen.core.ir.model import MISSING, Schema, SchemaNode, SchemaRef
from codegen.core.jsonschema.from_ir import to_json_schema
from codegen.generator.render.literals import py_literal

# JSON type -> runtime field class (single non-null type).
FIELD_CLASSES: dict[str, str] = {
    "string": "f.String",
    "integer": "f.Integer",
    "number": "f.Number",
    "boolean": "f.Boolean",
    "array": "f.Array",
    "object": "f.Object",
    "null": "f.Null",
}

# IR attribute -> keyword argument of JsonField, for plain values.
_NUMERIC_ARGS = ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "multiple_of")
_PLAIN_ARGS = (
    "format",
    "min_length",
    "max_length",
    "pattern",
    "min_items",
    "max_items",
    "min_properties",
    "max_properties",
)


def json_schema_only(schema: Schema, *, named: bool = False) -> list[str]:
    """Keywords of ``schema`` that only a JSON Schema check enforces.

    ``named`` schemas get their composition and members from the serializer,
    so only the remaining keywords count for them.
    """
    found = [keyword for keyword, _ in schema.unmodeled]
    if schema.as_written is not None:
        found.append("the whole schema as written in the spec ($dynamicRef or unevaluated*)")
    if schema.prefix_items:
        found.append("prefixItems")
    if schema.pattern_properties:
        found.append("patternProperties")
    if not named:
        found += [
            keyword
            for attr, keyword in (
                ("all_of", "allOf"),
                ("one_of", "oneOf"),
                ("any_of", "anyOf"),
                ("not_", "not"),
                ("properties", "properties"),
            )
            if getattr(schema, attr)
        ]
    return sorted(set(found))


def _class_and_types(schema: Schema) -> tuple[str, list[str]]:
    non_null = schema.non_null_types
    if len(non_null) == 1:
        extra = ["nullable=True"] if schema.nullable else []
        return FIELD_CLASSES[non_null[0]], extra
    if not schema.types:
        return "f.AnyValue", []
    return "f.AnyValue", [f"types={py_literal(list(schema.types))}"]


def value_args(schema: Schema, *, for_gate: bool = False) -> list[str]:
    """Keyword arguments for the value-level keywords of ``schema``.

    ``for_gate``: the schema is a named serializer's value gate, whose object
    members and composition live in the serializer instead.
    """
    args: list[str] = []
    for attr in _PLAIN_ARGS:
        value = getattr(schema, attr)
        if value is not None:
            args.append(f"{attr}={py_literal(value)}")
    for attr in _NUMERIC_ARGS:
        value = getattr(schema, attr)
        if value is not None:
            args.append(f"{attr}={py_literal(value, exact=True)}")
    if schema.enum is not None:
        args.append(f"enum={py_literal(list(schema.enum), exact=True)}")
    if schema.const is not MISSING:
        args.append(f"const={py_literal(schema.const, exact=True)}")
    if schema.items is not None and not schema.prefix_items:
        args.append(f"items={field_expr(schema.items)}")
    if schema.unique_items:
        args.append("unique_items=True")
    additional = schema.additional_properties
    if not for_gate and not isinstance(additional, bool) and not schema.pattern_properties:
        args.append(f"additional={field_expr(additional)}")
    return args


def annotation_args(schema: Schema | None, required: bool | None) -> list[str]:
    """``required``/``read_only``/``write_only``/``default`` for a member field."""
    args: list[str] = []
    read_only = schema is not None and schema.read_only
    if required is not None:
        args.append(f"required={required and not read_only}")
    if read_only:
        args.append("read_only=True")
        if required:
            args.append("output_required=True")  # required in responses only
    if schema is not None and schema.write_only:
        args.append("write_only=True")
    if schema is not None and schema.default is not MISSING and not required and not read_only:
        args.append(f"default={py_literal(schema.default, exact=True)}")
    return args


def field_expr(
    node: SchemaNode | None,
    *,
    required: bool | None = None,
    member_of: Schema | None = None,
) -> str:
    """The expression building a field for ``node``.

    ``member_of`` is the schema whose annotations (readOnly, default) apply
    when ``node`` is a reference used as a property.
    """
    if node is None:
        return "f.AnyValue(" + ", ".join(annotation_args(None, required)) + ")"
    if isinstance(node, SchemaRef):
        args = [py_literal(node.name), *annotation_args(member_of, required)]
        return f"registry.ref({', '.join(args)})"
    cls, args = _class_and_types(node)
    args += value_args(node)
    if json_schema_only(node):
        args.append(f"check=registry.check({py_literal(to_json_schema(node))})")
    args += annotation_args(node, required)
    return f"{cls}({', '.join(args)})"


def gate_expr(schema: Schema) -> str:
    """The value gate of a named schema's serializer (see
    ``servicekit.contract.serializers``)."""
    cls, args = _class_and_types(schema)
    args += value_args(schema, for_gate=True)
    return f"{cls}({', '.join(args)})"
