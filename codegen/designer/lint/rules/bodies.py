"""Request-body rules: every object a request body may hold says whether it takes
properties it does not declare (SF322).

Strictness about unknown body properties is the spec's to decide
(:mod:`codegen.core.strictness`): ``additionalProperties: false`` (or, in 3.1,
``unevaluatedProperties: false``) refuses them with 400, any other value accepts them,
and silence accepts them too, which is rarely what the author meant (a client's typo,
``{"nmae": "x"}``, is dropped without a word). Parts of an ``allOf`` are left to the
schema composing them: ``additionalProperties: false`` in a part would refuse the other
parts' properties.

Example: ``requestBody: {content: {application/json: {schema: {type: object,
properties: {name: {type: string}}}}}}`` yields SF322 at the schema.
"""

from __future__ import annotations

from collections.abc import Iterator

from codegen.designer.lint.document import Document
from codegen.designer.lint.findings import Finding
from codegen.designer.lint.walk import reachable, request_body_media

STATING_KEYWORDS = ("additionalProperties", "unevaluatedProperties")


def _is_object(schema: dict[str, object]) -> bool:
    kinds = schema.get("type")
    return (
        "properties" in schema
        or kinds == "object"
        or (isinstance(kinds, list) and "object" in kinds)
    )


def check(doc: Document) -> Iterator[Finding]:
    roots = [media.child("schema") for media in request_body_media(doc)]
    for visit in reachable(doc, (root for root in roots if root.value is not None)):
        schema = visit.node.value
        if visit.via == "allOf" or not _is_object(schema):
            continue
        if not any(keyword in schema for keyword in STATING_KEYWORDS):
            yield Finding(
                "SF322",
                "this object of a request body does not say whether it takes properties it "
                "does not declare (they are accepted and dropped without a word)",
                visit.node,
            )
