"""The intermediate representation (IR) of one OpenAPI document.

Parsing (``codegen.core.ir.build``) turns a loaded spec into these frozen
dataclasses; every renderer (DRF code, SDK, mock, lint, diff) reads only these.
OpenAPI 3.0/3.1 differences are settled here, once:

* ``nullable: true`` (3.0) and ``type: [..., "null"]`` (3.1) both become
  ``"null"`` in :attr:`Schema.types`;
* boolean ``exclusiveMinimum`` (3.0) and numeric ``exclusiveMinimum`` (3.1)
  both become the numeric :attr:`Schema.exclusive_minimum`;
* ``example`` (3.0) and ``examples`` (3.1) both become :attr:`Schema.examples`.

Schemas are a graph, possibly cyclic (a tree node whose children are tree
nodes). Frozen dataclasses cannot hold cycles, so every *named* schema lives
once in :attr:`Api.schemas` and is referred to by :class:`SchemaRef`.
Component schemas keep their component name; inline object and composite
schemas (request bodies, responses, nested objects) get a deterministic name
from ``codegen.core.ir.names`` and live there too. Only scalar and array schemas
without a name stay inline.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

from codegen.core.diagnostics import SourceLocation


class _Missing(enum.Enum):
    """Marks "keyword absent", which is different from a ``None`` value."""

    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing.MISSING

JSONValue: TypeAlias = Any
"""A JSON value as loaded from the spec (dict, list, str, int, float, bool, None)."""


@dataclass(frozen=True, slots=True)
class SchemaRef:
    """A reference to a named schema in :attr:`Api.schemas`."""

    name: str


@dataclass(frozen=True, slots=True)
class Property:
    name: str  # the JSON key, exactly as in the spec
    python_name: str  # a valid, unique Python identifier for it
    schema: SchemaNode
    required: bool


@dataclass(frozen=True, slots=True)
class Discriminator:
    property_name: str
    # discriminator value -> schema name in Api.schemas; explicit ``mapping``
    # entries plus the implicit ones (component name as value), sorted.
    mapping: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Schema:
    """One JSON Schema node, normalised to JSON Schema 2020-12 semantics."""

    location: SourceLocation
    name: str | None = None  # set for schemas that live in Api.schemas
    title: str | None = None
    description: str | None = None
    # JSON types, sorted; includes "null" when nullable; () means any type.
    types: tuple[str, ...] = ()
    format: str | None = None
    enum: tuple[JSONValue, ...] | None = None
    const: JSONValue = MISSING
    default: JSONValue = MISSING
    examples: tuple[JSONValue, ...] = ()
    # strings
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None  # ECMA-262 regular expression, as written
    content_media_type: str | None = None
    content_encoding: str | None = None
    # numbers (int, float or decimal.Decimal exactly as written)
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None
    # arrays
    items: SchemaNode | None = None
    prefix_items: tuple[SchemaNode, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    # objects
    properties: tuple[Property, ...] = ()
    # True: any extra key; False: extra keys rejected; a schema: extra values validated
    additional_properties: bool | SchemaNode = True
    pattern_properties: tuple[tuple[str, SchemaNode], ...] = ()
    min_properties: int | None = None
    max_properties: int | None = None
    # composition
    all_of: tuple[SchemaNode, ...] = ()
    one_of: tuple[SchemaNode, ...] = ()
    any_of: tuple[SchemaNode, ...] = ()
    not_: SchemaNode | None = None
    discriminator: Discriminator | None = None
    # annotations
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    # JSON Schema keywords the IR does not model (if/then/else, contains,
    # dependentRequired, propertyNames, ...). Renderers that cannot express
    # them must enforce them with a JSON Schema validator, never drop them.
    unmodeled: tuple[tuple[str, JSONValue], ...] = ()
    extensions: tuple[tuple[str, JSONValue], ...] = ()  # x-* keys
    # The URI (in Api.schema_resources) of a spec schema that a JSON Schema
    # validator checks as written: one whose meaning depends on how it is
    # reached ($dynamicRef; the node has no other fields) or on annotations
    # (unevaluated*; the fields are kept too), which no field can capture.
    as_written: str | None = None

    @property
    def nullable(self) -> bool:
        return "null" in self.types

    @property
    def non_null_types(self) -> tuple[str, ...]:
        return tuple(t for t in self.types if t != "null")


SchemaNode: TypeAlias = Schema | SchemaRef


class ParameterLocation(enum.StrEnum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


@dataclass(frozen=True, slots=True)
class Example:
    name: str  # "default" for a lone ``example``
    value: JSONValue = MISSING
    summary: str | None = None
    external_value: str | None = None


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    python_name: str
    location: ParameterLocation
    required: bool
    schema: SchemaNode | None
    # Effective style and explode (defaults applied per OpenAPI rules:
    # form/explode for query and cookie, simple for path and header).
    style: str
    explode: bool
    allow_reserved: bool = False
    allow_empty_value: bool = False
    deprecated: bool = False
    description: str | None = None
    # Set when the parameter uses ``content`` instead of ``schema``.
    content_media_type: str | None = None
    examples: tuple[Example, ...] = ()
    source: SourceLocation | None = None


@dataclass(frozen=True, slots=True)
class Encoding:
    property_name: str
    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None


@dataclass(frozen=True, slots=True)
class MediaType:
    media_type: str  # e.g. "application/json", "multipart/form-data", "*/*"
    schema: SchemaNode | None
    examples: tuple[Example, ...] = ()
    encoding: tuple[Encoding, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestBody:
    required: bool
    content: tuple[MediaType, ...]  # sorted by media type
    description: str | None = None
    source: SourceLocation | None = None


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    required: bool
    schema: SchemaNode | None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    name: str
    operation_id: str | None
    operation_ref: str | None
    parameters: tuple[tuple[str, JSONValue], ...] = ()
    request_body: JSONValue = MISSING


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "2XX" (upper-cased) or "default"
    description: str
    content: tuple[MediaType, ...] = ()
    headers: tuple[Header, ...] = ()
    links: tuple[Link, ...] = ()
    source: SourceLocation | None = None

    @property
    def is_success(self) -> bool:
        return self.status[0] == "2"


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    """All schemes listed must pass (AND); an operation passes when any one
    of its requirements passes (OR). ``schemes == ()`` means "anonymous ok"."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]  # (scheme name, scopes)


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str
    type: str  # apiKey | http | oauth2 | openIdConnect | mutualTLS
    scheme: str | None = None  # http: "bearer", "basic", ... (lower-cased)
    bearer_format: str | None = None
    location: str | None = None  # apiKey: "header" | "query" | "cookie"
    parameter_name: str | None = None  # apiKey: header/query/cookie name
    scopes: tuple[str, ...] = ()  # oauth2: every scope of every flow, sorted
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str  # as in the spec, or a stable fallback "<method>_<path>"
    python_name: str  # snake_case identifier, unique within the Api
    method: str  # lower case: get, put, post, delete, options, head, patch, trace
    path: str  # the path template exactly as written in the spec
    group: str  # ViewSet group: first tag, else first literal path segment
    parameters: tuple[Parameter, ...]  # path-level and operation-level merged
    request_body: RequestBody | None
    responses: tuple[Response, ...]  # sorted: numeric codes, ranges, default
    # Effective security (operation-level, else document-level).
    security: tuple[SecurityRequirement, ...]
    tags: tuple[str, ...] = ()
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    has_explicit_operation_id: bool = True
    extensions: tuple[tuple[str, JSONValue], ...] = ()  # x-* keys
    source: SourceLocation | None = None


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    version: str  # info.version
    openapi_version: str  # e.g. "3.0.3", "3.1.0"
    source_file: str  # the spec path as given
    source_sha256: str  # sha256 hex of the root spec file's bytes
    operations: tuple[Operation, ...]  # sorted by (path, method order)
    schemas: Mapping[str, Schema] = field(default_factory=dict)  # sorted by name
    security_schemes: Mapping[str, SecurityScheme] = field(default_factory=dict)
    servers: tuple[str, ...] = ()
    description: str | None = None
    # The ``paths`` keys in declaration order: where two templates take the
    # same requests, the first declared wins (codegen.core.routing).
    path_order: tuple[str, ...] = ()
    # The spec's files by URI, for schemas validated as written
    # (Schema.as_written); empty when there are none.
    schema_resources: Mapping[str, JSONValue] = field(default_factory=dict)
    json_schema_dialect: str | None = None  # the document's jsonSchemaDialect

    def resolve(self, node: SchemaNode) -> Schema:
        """Follow a :class:`SchemaRef` (one step; named schemas are never refs)."""
        return self.schemas[node.name] if isinstance(node, SchemaRef) else node
