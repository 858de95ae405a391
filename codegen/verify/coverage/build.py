"""A spec's coverage model (:mod:`.model`), built from its IR.

``model_for_spec("specs/orders.yaml", "orders")`` -> ``CoverageModel`` with one
item per operation, declared status, parameter presence and absence, enum value,
body property, ``oneOf``/``anyOf`` branch and link, each located in the spec.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from codegen.core.errors import UserError
from codegen.core.ir.build import build_api
from codegen.core.ir.model import Api, Operation, Parameter, ParameterLocation, SchemaRef
from codegen.core.openapi import REQUEST, RESPONSE
from codegen.core.spec import pointer as jp
from codegen.core.spec.loader import LoadedSpec, load_spec
from codegen.verify.coverage.kinds import Kind
from codegen.verify.coverage.model import CoverageModel, OperationPlan, ParameterPlan
from codegen.verify.coverage.shapes import ItemSink, Shape, ShapeBuilder, enum_key


def model_for_spec(path: Path, name: str) -> CoverageModel:
    loaded, diagnostics = load_spec(path)
    api = None
    if loaded is not None:
        api, diagnostics = build_api(loaded)
    if loaded is None or api is None:
        problems = "; ".join(d.format() for d in diagnostics[:3])
        raise UserError(f"{path}: cannot build the coverage model: {problems}")
    return build_model(name, api, loaded)


def build_model(name: str, api: Api, loaded: LoadedSpec) -> CoverageModel:
    model = CoverageModel(name)
    for operation in api.operations:
        model.operations[_label(operation)] = _plan(model, api, loaded, operation)
    return model


def _label(operation: Operation) -> str:
    return f"{operation.method.upper()} {operation.path}"


def _plan(
    model: CoverageModel, api: Api, loaded: LoadedSpec, operation: Operation
) -> OperationPlan:
    label = _label(operation)
    add: ItemSink = partial(model.add, label)
    declared = [r.status for r in operation.responses]
    success = frozenset(s for s in declared if s.startswith("2")) or frozenset(declared)
    plan = OperationPlan(
        label, operation.operation_id, add(Kind.OPERATIONS, "", operation.source), success
    )
    for response in operation.responses:
        plan.statuses[response.status] = add(
            Kind.STATUSES, f"status {response.status}", response.source
        )
        for link in response.links:
            where = None
            if response.source is not None:
                where = loaded.lazy_locate(
                    loaded.file(response.source.file),
                    jp.child(response.source.pointer, "links", link.name),
                )
            plan.links[(response.status, link.name)] = add(
                Kind.LINKS, f"link {response.status} {link.name}", where
            )
    plan.responses = _response_shapes(add, api, loaded, operation)
    plan.parameters = [_parameter(add, api, p) for p in operation.parameters]
    if operation.request_body is not None:
        schemas = {
            m.media_type: m.schema for m in operation.request_body.content if m.schema is not None
        }
        for media_type, schema in schemas.items():
            context = "request" if len(schemas) == 1 else f"request {media_type}"
            plan.request[media_type] = ShapeBuilder(api, loaded, REQUEST, context, add).build(
                schema
            )
    return plan


def _response_shapes(
    add: ItemSink, api: Api, loaded: LoadedSpec, operation: Operation
) -> dict[str, dict[str, Shape]]:
    """Status -> media type -> shape. The responses whose media type has the same named
    schema share one shape, so one set of items: ``response 400,401,404 property /title``
    is covered by a ``title`` in any of them (a media type joins the context only where
    a response has several)."""
    sharing: dict[tuple[str, str], list[str]] = {}
    for response in operation.responses:
        for media in response.content:
            if isinstance(media.schema, SchemaRef):
                key = (media.media_type, media.schema.name)
                sharing.setdefault(key, []).append(response.status)
    built: dict[tuple[str, str], Shape] = {}
    shapes: dict[str, dict[str, Shape]] = {}
    for response in operation.responses:
        typed = [(m.media_type, m.schema) for m in response.content if m.schema is not None]
        shapes[response.status] = {}
        for media_type, schema in typed:
            shared = (media_type, schema.name) if isinstance(schema, SchemaRef) else None
            shape = built.get(shared) if shared is not None else None
            if shape is None:
                statuses = sharing[shared] if shared is not None else [response.status]
                context = "response " + ",".join(statuses)
                if len(typed) > 1:
                    context += f" {media_type}"
                shape = ShapeBuilder(api, loaded, RESPONSE, context, add).build(schema)
                if shared is not None:
                    built[shared] = shape
            shapes[response.status][media_type] = shape
    return shapes


def _parameter(add: ItemSink, api: Api, param: Parameter) -> ParameterPlan:
    where = f"{param.location} parameter {param.name}"
    present = absent = None
    if param.location != ParameterLocation.PATH:
        present = add(Kind.PARAMETERS, f"{where} present", param.source)
        absent = add(Kind.PARAMETERS, f"{where} absent", param.source)
    enum: dict[str, str] = {}
    schema = api.resolve(param.schema) if param.schema is not None else None
    if schema is not None and schema.enum is None and schema.items is not None:
        schema = api.resolve(schema.items)  # an array parameter: its values' enum
    for value in (schema.enum or ()) if schema is not None else ():
        enum[enum_key(value)] = add(Kind.PARAMETERS, f"{where} = {enum_key(value)}", param.source)
    return ParameterPlan(str(param.location), param.name, present, absent, enum)
