"""What each operation of a spec may answer, read once for the mock.

For every operation: its declared responses, each with its headers (name,
required, JSON Schema, example) and media types (JSON Schema, named
examples) and links. Schemas become self-contained JSON Schema 2020-12 in
the response direction (:func:`codegen.core.jsonschema.from_spec.validation_schema`,
``writeOnly`` properties forbidden, discriminators kept), so 3.0 ``nullable`` and
``writeOnly`` are already accounted for. Examples that
their schema rejects are kept aside with the reason, so the responder can
warn once and generate data instead.

``responses:
  "201": {content: {application/json: {schema: ..., examples: {big: {value: ...}}}}}``
-> ``Response("201", media=(Media("application/json", schema, {"big": ...}),))``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.core.jsonschema.from_spec import validation_schema
from codegen.core.openapi import RESPONSE
from codegen.core.validator import validation_error
from codegen.designer.lint.document import Document, Node


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    value: Any
    problem: str | None = None  # why the schema rejects it, when it does


@dataclass(frozen=True, slots=True)
class Media:
    media_type: str
    schema: Mapping[str, Any] | bool | None
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    required: bool
    schema: Mapping[str, Any] | bool
    example: Example | None = None


@dataclass(frozen=True, slots=True)
class Link:
    operation_id: str | None
    operation_ref: str | None
    parameters: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "2XX", "default"
    media: tuple[Media, ...] = ()
    headers: tuple[Header, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    operation_id: str | None
    responses: Mapping[str, Response] = field(default_factory=dict)
    location: str = ""  # file:line, for warnings


def _response_schema(doc: Document, node: Node) -> Any:
    return validation_schema(
        doc.loaded,
        node.file,
        node.value,
        direction=RESPONSE,
        forbid_unsent=True,
        discriminators=True,
    )


def _examples(doc: Document, holder: Node, schema: Any) -> tuple[Example, ...]:
    """Named examples of a media type or header; a lone ``example`` is named ``example``."""
    found: list[tuple[str, Any]] = []
    examples = holder.child("examples")
    for name, raw in examples.items():
        target = doc.deref(raw)
        if target.has("value"):
            found.append((name, target.get("value")))
    if holder.has("example"):
        found.append(("example", holder.get("example")))
    if not found:
        schema_node = doc.deref(holder.child("schema"))
        if schema_node.has("example"):
            found.append(("example", schema_node.get("example")))
        listed = schema_node.get("examples")
        if isinstance(listed, list) and listed and not doc.is_30:
            found.append(("example", listed[0]))
    return tuple(
        Example(name, value, validation_error(schema, value) if schema is not None else None)
        for name, value in found
    )


def _media(doc: Document, response: Node) -> tuple[Media, ...]:
    out: list[Media] = []
    for media_type, raw in doc.deref(response).child("content").items():
        holder = doc.deref(raw)
        schema_node = holder.child("schema")
        schema = _response_schema(doc, schema_node) if schema_node.value is not None else None
        out.append(Media(media_type, schema, _examples(doc, holder, schema)))
    return tuple(out)


def _headers(doc: Document, response: Node) -> tuple[Header, ...]:
    out: list[Header] = []
    for name, raw in doc.deref(response).child("headers").items():
        if name.lower() == "content-type":
            continue  # OpenAPI: a Content-Type header definition is ignored
        header = doc.deref(raw)
        schema_node = header.child("schema")
        if schema_node.value is None:
            media = next(iter(header.child("content").items()), None)
            schema_node = doc.deref(media[1]).child("schema") if media else schema_node
        schema = _response_schema(doc, schema_node) if schema_node.value is not None else {}
        examples = _examples(doc, header, schema)
        out.append(Header(name, header.get("required") is True, schema, next(iter(examples), None)))
    return tuple(out)


def _links(doc: Document, response: Node) -> tuple[Link, ...]:
    out: list[Link] = []
    for _, raw in doc.deref(response).child("links").items():
        link = doc.deref(raw)
        parameters = link.get("parameters")
        out.append(
            Link(
                link.get("operationId"),
                link.get("operationRef"),
                parameters if isinstance(parameters, dict) else {},
            )
        )
    return tuple(out)


def read_operations(doc: Document) -> list[Operation]:
    """Every operation of ``doc`` with its responses (document order)."""
    operations: list[Operation] = []
    for op in doc.operations():
        responses: dict[str, Response] = {}
        for status, raw in op.node.child("responses").items():
            key = status.upper() if status.upper().endswith("XX") else status
            responses[key] = Response(key, _media(doc, raw), _headers(doc, raw), _links(doc, raw))
        location = doc.locate(op.node)
        operations.append(
            Operation(
                op.method,
                op.path,
                op.node.get("operationId"),
                responses,
                f"{location.file}:{location.line}",
            )
        )
    return operations
