"""Schema rules: an explicit type (SF313) and, in OpenAPI 3.0, no ``nullable``
beside ``allOf`` without a ``type`` (SF318).

Examples: ``{properties: {id: {type: string}}}`` yields SF313 ("has
`properties` but no `type`"); in a 3.0 spec ``{nullable: true, allOf: [{$ref:
'#/components/schemas/Money'}]}`` yields SF318 at its ``nullable`` key.
"""

from __future__ import annotations

from collections.abc import Iterator

from codegen.designer.lint.document import Document
from codegen.designer.lint.findings import Finding
from codegen.designer.lint.walk import schemas

# Keywords that give a schema its shape without ``type``.
SHAPE_KEYWORDS = ("$ref", "$dynamicRef", "allOf", "oneOf", "anyOf", "enum", "const")
# Fragments inside these take their type from their siblings or parent.
TYPELESS_CONTEXTS = {"allOf", "not", "if", "then", "else", "dependentSchemas", "propertyNames"}


def check(doc: Document) -> Iterator[Finding]:
    for visit in schemas(doc):
        node = visit.node
        typeless = "type" not in node.value and not any(k in node.value for k in SHAPE_KEYWORDS)
        if typeless and visit.via not in TYPELESS_CONTEXTS:
            yield Finding("SF313", _missing_type_message(node.value), node)
        if (
            doc.is_30
            and node.get("nullable") is True
            and "allOf" in node.value
            and "type" not in node.value
        ):
            yield Finding(
                "SF318",
                "`nullable: true` beside `allOf` has no effect without a `type` in the same "
                "schema (OpenAPI 3.0.3), so null is not accepted here",
                node.child("nullable"),
            )


def _missing_type_message(schema: dict[str, object]) -> str:
    """Say what the schema looks like, so the fix is obvious."""
    if "properties" in schema or "additionalProperties" in schema:
        return "schema has `properties` but no `type: object`"
    if "items" in schema:
        return "schema has `items` but no `type: array`"
    return "schema has no `type`, so it accepts any JSON value"
