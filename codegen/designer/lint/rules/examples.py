"""SF314: every ``example``, ``examples`` entry and ``default`` is valid against
its schema.

Checked places: a schema's own ``default``, ``example`` and (3.1) ``examples``
list; a parameter's, header's or media type's ``example`` and ``examples``
map (Example objects, through ``$ref``). Validation is JSON Schema 2020-12
(``codegen.core.jsonschema.from_spec`` converts 3.0 first; a 3.1 spec whose
schemas use ``$id``, anchors or ``$dynamicRef`` is validated through its schema
resources instead, as the generated services validate it, so references resolve
against the base URI where they are written; ``readOnly``/``writeOnly`` are then
not left out of ``required`` per direction) by :mod:`codegen.core.validator`:
ECMA-262 patterns, formats (date-time, email, uuid, int32, ...) checked. The finding
points at the failing value inside the example.

Example: ``{type: integer, minimum: 1, default: 0}`` yields SF314 at
``.../default``: "default is not valid against its schema: 0 is less than the
minimum of 1".
"""

from __future__ import annotations

from collections.abc import Iterator

from codegen.core.jsonschema.from_spec import validation_schema
from codegen.core.validator import first_error
from codegen.designer.lint.document import Document, Node
from codegen.designer.lint.findings import Finding
from codegen.designer.lint.walk import ANY, holders, schemas


def check(doc: Document) -> Iterator[Finding]:
    for visit in schemas(doc):
        node = visit.node
        for key in ("default", "example"):
            if key in node.value:
                yield from _validate(doc, node, ANY, node.child(key), key)
        listed = node.child("examples")
        if isinstance(listed.value, list) and not doc.is_30:
            for index, example in enumerate(listed.elements()):
                yield from _validate(doc, node, ANY, example, f"examples[{index}]")
    for holder in holders(doc):
        schema = holder.node.child("schema")
        if schema.value is None:
            continue
        if holder.node.has("example"):
            what = f"{holder.kind} example"
            yield from _validate(doc, schema, holder.context, holder.node.child("example"), what)
        for name, raw in holder.node.child("examples").items():
            example = doc.deref(raw)
            if example.has("value"):
                what = f"{holder.kind} example {name!r}"
                yield from _validate(doc, schema, holder.context, example.child("value"), what)


def _validate(
    doc: Document, schema: Node, context: str, value: Node, what: str
) -> Iterator[Finding]:
    resources = doc.loaded.schema_resources
    if resources is not None and resources.identifies:
        target, registry = resources.validation_target(schema.file, schema.pointer)
        error = first_error(target, value.value, registry)
    else:
        converted = validation_schema(doc.loaded, schema.file, schema.value, direction=context)
        error = first_error(converted, value.value)
    if error is None:
        return
    where = "".join(f"/{part}" for part in error.absolute_path)
    at = f" at {where}" if where else ""
    yield Finding(
        "SF314",
        f"{what} is not valid against its schema{at}: {error.message}",
        value.child(*error.absolute_path),
    )
