"""Template context: small pure functions from the IR to what templates print.

Templates only print; every decision (field expressions, routes, which
keywords need a JSON Schema check) is made here, in sorted, deterministic
order. Names come from the IR (and :mod:`codegen.core.ir.names` for ViewSet
classes); nothing here invents an identifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen.core.ir import names
from codegen.core.ir.model import (
    Api,
    Encoding,
    Header,
    MediaType,
    Operation,
    Parameter,
    Property,
    Schema,
    SchemaRef,
)
from codegen.core.jsonschema.from_ir import component_ref, to_json_schema
from codegen.core.routing.kinds import ParamKind
from codegen.generator.render.annotations import annotation, parameter_annotation
from codegen.generator.render.fields import field_expr, gate_expr, json_schema_only
from codegen.generator.render.literals import py_literal
from codegen.generator.render.records import bodies_context, typed_annotation, typed_media
from codegen.generator.render.replies import replies_context, reply_type
from codegen.generator.render.routes import plan_routes

# Names stubs.py imports or defines besides its classes and reply aliases.
STUB_MODULE_NAMES = (
    "OPERATIONS",
    "Reply",
    "Request",
    "bodies",
    "cv",
    "extend_schema",
    "schema_kwargs",
    "t",
)


@dataclass(frozen=True, slots=True)
class SerializerContext:
    name: str
    source: str
    description: str
    gate: str
    has_members: bool
    additional: str  # "True", "False" or "None" (validated by build_additional)
    additional_expr: str | None
    members: list[tuple[str, str]]  # (JSON key literal, field expression)
    python_names: list[tuple[str, str]]  # (JSON key literal, python name literal)
    composition: str | None
    check_keywords: list[str]
    check_expr: str | None


@dataclass(frozen=True, slots=True)
class HandlerArg:
    python_name: str
    annotation: str


@dataclass(frozen=True, slots=True)
class OperationContext:
    python_name: str
    operation_id: str
    method: str
    path: str
    dispatcher: str
    declaration: str
    summary: str
    args: list[HandlerArg]
    body_annotation: str | None
    body_builds: list[str]  # the annotations the runtime builds bodies into
    statuses: list[str]
    reply_alias: str  # e.g. "GetOrderReply", defined in stubs.py
    reply_type: str  # e.g. "Reply[t.Literal[200, 404], replies.Order | models.Model | ...]"


@dataclass(frozen=True, slots=True)
class GroupContext:
    class_name: str
    group: str
    operations: list[OperationContext] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RouteContext:
    path: str
    # (method, stub class, python_name, selector as (where, name, value) triples)
    operations: list[tuple[str, str, str, list[tuple[str, str, str | None]]]]
    params: list[tuple[str, str, str, list[str]]]  # (name, python_name, kind, enum texts)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _member_expr(api: Api | None, prop: Property) -> str:
    """A property's field. A ``$ref`` property takes readOnly/writeOnly/default
    from the schema it names (the IR puts ``$ref`` siblings there)."""
    target = (
        api.resolve(prop.schema) if api is not None and isinstance(prop.schema, SchemaRef) else None
    )
    return field_expr(prop.schema, required=prop.required, member_of=target)


def serializer_context(schema: Schema, api: Api | None = None) -> SerializerContext:
    """Everything the serializers template prints for one named schema
    (``api`` resolves the targets of ``$ref`` properties)."""
    assert schema.name is not None
    additional = schema.additional_properties
    if schema.pattern_properties:
        # Keys matching patternProperties are not "additional": the JSON
        # Schema check judges both keywords together.
        additional_flag, additional_expr = "True", None
    elif isinstance(additional, bool):
        additional_flag, additional_expr = str(additional), None
    else:
        additional_flag, additional_expr = "None", field_expr(additional)
    members = [(py_literal(p.name), _member_expr(api, p)) for p in schema.properties]
    renamed = [
        (py_literal(p.name), py_literal(p.python_name))
        for p in schema.properties
        if p.name != p.python_name
    ]
    keywords = json_schema_only(schema, named=True)
    return SerializerContext(
        name=schema.name,
        # File and pointer, no line: reading lines is slow on big specs and
        # pointers stay put when unrelated lines move.
        source=f"{schema.location.file} #{schema.location.pointer}",
        description=_one_line(schema.description or schema.title),
        gate=gate_expr(schema),
        has_members=bool(schema.properties) or additional is not True,
        additional=additional_flag,
        additional_expr=additional_expr,
        members=members,
        python_names=renamed,
        composition=_composition(schema),
        check_keywords=keywords,
        check_expr=(
            f"registry.check({py_literal({'$ref': component_ref(schema.name)})})"
            if keywords
            else None
        ),
    )


def _composition(schema: Schema) -> str | None:
    parts: list[str] = []
    for attr in ("all_of", "one_of", "any_of"):
        members = getattr(schema, attr)
        if members:
            parts.append(f"{attr}=[{', '.join(field_expr(m) for m in members)}]")
    if schema.not_ is not None:
        parts.append(f"not_={field_expr(schema.not_)}")
    disc = schema.discriminator
    if disc is not None and (schema.one_of or schema.any_of):
        mapping = py_literal(dict(disc.mapping))
        parts.append(
            f"discriminator=registry.discriminator({py_literal(disc.property_name)}, {mapping})"
        )
    return f"cs.Composition({', '.join(parts)})" if parts else None


def _param_decl(param: Parameter) -> str:
    args = [
        py_literal(param.name),
        py_literal(param.python_name),
        py_literal(str(param.location)),
        field_expr(param.schema, required=param.required),
        f"required={param.required}",
        f"style={py_literal(param.style)}",
        f"explode={param.explode}",
    ]
    if param.allow_empty_value:
        args.append("allow_empty_value=True")
    if param.content_media_type:
        args.append(f"content_media_type={py_literal(param.content_media_type)}")
    schema = to_json_schema(param.schema) if param.schema is not None else {}
    args.append(f"schema={py_literal(schema)}")
    return f"p.Param({', '.join(args)})"


def _media_decl(
    cls: str,
    media_type: str,
    node: Schema | SchemaRef | None,
    encoding: tuple[Encoding, ...] = (),
    build: str | None = None,
) -> str:
    schema = to_json_schema(node) if node is not None else {}
    args = [py_literal(media_type), field_expr(node), f"schema={py_literal(schema)}"]
    if build is not None:
        args.append(f"build=tb.builder({build})")
    if encoding:
        parts = ", ".join(
            f"{py_literal(e.property_name)}: b.PartEncoding("
            f"{py_literal(e.content_type)}, {py_literal(e.style)}, {e.explode!r})"
            for e in encoding
        )
        args.append(f"encoding={{{parts}}}")
    return f"{cls}({', '.join(args)})"


def _header_decl(header: Header) -> str:
    """``Header("ETag", False, string)`` -> ``o.ResponseHeader('ETag', False, schema={...})``."""
    schema = to_json_schema(header.schema) if header.schema is not None else {}
    args = [py_literal(header.name), repr(header.required), f"schema={py_literal(schema)}"]
    if isinstance(header.schema, SchemaRef):  # published inline, as parameters are
        args.append(f"field={field_expr(header.schema)}")
    if header.description:
        args.append(f"description={py_literal(header.description)}")
    return f"o.ResponseHeader({', '.join(args)})"


def _body_build(api: Api, media: MediaType, typed: frozenset[str]) -> str | None:
    """The annotation the runtime builds a media type's validated body into, if any."""
    if not typed_media(media.media_type):
        return None
    text, built = typed_annotation(api, media.schema, typed, prefix="bodies.")
    return text if built else None


def operation_declaration(op: Operation, api: Api, typed: frozenset[str]) -> str:
    """The ``o.Operation(...)`` expression the runtime reads for ``op``
    (``typed``: the classes of ``bodies.py``, which typed bodies are built into)."""
    args = [
        f"operation_id={py_literal(op.operation_id)}",
        f"python_name={py_literal(op.python_name)}",
        f"method={py_literal(op.method)}",
        f"path={py_literal(op.path)}",
        f"params=({''.join(_param_decl(p) + ', ' for p in op.parameters)})",
    ]
    if op.request_body is not None:
        media = "".join(
            _media_decl(
                "b.BodyMedia", m.media_type, m.schema, m.encoding, _body_build(api, m, typed)
            )
            + ", "
            for m in op.request_body.content
        )
        args.append(f"body=b.Body(required={op.request_body.required}, content=({media}))")
    responses = []
    for response in op.responses:
        media = "".join(
            _media_decl("o.ResponseMedia", m.media_type, m.schema) + ", " for m in response.content
        )
        headers = "".join(_header_decl(h) + ", " for h in response.headers)
        responses.append(
            f"o.ResponseSpec({py_literal(response.status)}, {py_literal(response.description)}, "
            f"content=({media}), headers=({headers}))"
        )
    args.append(f"responses=({''.join(r + ', ' for r in responses)})")
    if op.summary:
        args.append(f"summary={py_literal(op.summary)}")
    if op.tags:
        args.append(f"tags=({''.join(py_literal(t) + ', ' for t in op.tags)})")
    if op.deprecated:
        args.append("deprecated=True")
    security = tuple(
        tuple((name, tuple(scopes)) for name, scopes in requirement.schemes)
        for requirement in op.security
    )
    if security:
        args.append(f"security={security!r}")
    if op.source is not None:
        args.append(f"source={py_literal(str(op.source))}")
    return f"o.Operation({', '.join(args)})"


def _body_annotation(api: Api, media: MediaType, typed: frozenset[str]) -> str:
    if typed_media(media.media_type):
        return typed_annotation(api, media.schema, typed, prefix="bodies.")[0]
    return annotation(api, media.schema)


def operation_context(
    api: Api, op: Operation, reply_alias: str, typed: frozenset[str], replied: frozenset[str]
) -> OperationContext:
    body_annotation = None
    if op.request_body is not None:
        schemas = {_body_annotation(api, m, typed) for m in op.request_body.content}
        body_annotation = schemas.pop() if len(schemas) == 1 else "t.Any"
        if not op.request_body.required:
            body_annotation += " | None"
    return OperationContext(
        python_name=op.python_name,
        operation_id=op.operation_id,
        method=op.method,
        path=op.path,
        dispatcher=f"op_{op.python_name}",
        declaration=operation_declaration(op, api, typed),
        summary=_one_line(op.summary or op.description),
        args=[
            HandlerArg(p.python_name, parameter_annotation(api, p.schema, required=p.required))
            for p in op.parameters
        ],
        body_annotation=body_annotation,
        body_builds=[
            build
            for m in (op.request_body.content if op.request_body else ())
            if (build := _body_build(api, m, typed)) is not None
        ],
        statuses=[r.status for r in op.responses],
        reply_alias=reply_alias,
        reply_type=reply_type(api, op, replied),
    )


def group_contexts(api: Api) -> list[GroupContext]:
    """One ViewSet stub per operation group, sorted by group; request bodies are
    annotated and built as the classes and unions of ``bodies.py``."""
    typed = bodies_context(api).names
    replied = replies_context(api).names
    namespace = names.Namespace(style="class", reserved=STUB_MODULE_NAMES)
    groups: dict[str, GroupContext] = {}
    for group in sorted({op.group for op in api.operations}):
        class_name = namespace.claim(names.class_name(group, fallback="Api") + "ViewSet")
        groups[group] = GroupContext(class_name=class_name, group=group)
    for op in api.operations:
        alias = namespace.claim(names.class_name(op.python_name, fallback="Operation") + "Reply")
        groups[op.group].operations.append(operation_context(api, op, alias, typed, replied))
    return list(groups.values())


def route_contexts(api: Api, groups: list[GroupContext]) -> list[RouteContext]:
    """One route per path template and parameter kinds, in declaration order
    (:mod:`.routes`). Operations of one path whose parameter schemas differ
    (``GET /{p}/{n}`` with an integer ``n``, ``POST`` with a string ``n``) get
    a route each, as the gateway compiles them: each matches on its own kinds."""
    class_of = {op.python_name: g.class_name for g in groups for op in g.operations}
    routes: dict[tuple[str, tuple[tuple[str, ParamKind], ...]], RouteContext] = {}
    for routed in plan_routes(api).operations:
        op = routed.operation
        shape = (routed.template, tuple(sorted(routed.kinds.items(), key=lambda item: item[0])))
        route = routes.setdefault(
            shape, RouteContext(path=routed.template, operations=[], params=[])
        )
        selector = [(c.where, c.name, c.value) for c in routed.selector]
        route.operations.append((op.method, class_of[op.python_name], op.python_name, selector))
        known = {name for name, *_ in route.params}
        for param in op.parameters:
            if str(param.location) == "path" and param.name not in known:
                kind = routed.kinds[param.name]
                route.params.append((param.name, param.python_name, kind.kind, sorted(kind.values)))
                known.add(param.name)
    return list(routes.values())
