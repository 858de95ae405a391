"""IR operations → the plain data the client templates render.

One :class:`OperationView` per operation: its method name, typed parameters
(path parameters positional, everything else keyword-only), request body,
the outcome for each success status, the return type (a union when several
success responses differ), the credentials it accepts and its pagination.

Example: ``GET /products/{productId}`` (``getProduct``, 200 → ``Product``)
-> ``OperationView(name="get_product", return_type="models.ProductResponse",
outcomes=(Outcome(condition="status == 200", kind="json", ...),), ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.core.ir import names as ir_names
from codegen.core.ir.model import Api, MediaType, Operation, Parameter, ParameterLocation, Response
from codegen.generator.sdk.models import ModelNames
from codegen.generator.sdk.pagination import Pagination, detect
from codegen.generator.sdk.types import type_expr, union

# Keyword arguments every generated method has; parameters get other names.
# Locals and module names of the generated methods are reserved too.
CALL_OPTIONS: frozenset[str] = frozenset(
    {
        "self",
        "body",
        "request_id",
        "timeout",
        "extra_headers",
        "models",
        "httpx",
        "response",
        "current_page",
        "position",
        "count",
        "following",
        "item",
        "Call",
        "QueryParam",
        "Mapping",
        "Callable",
        "Iterator",
        "AsyncIterator",
    }
)
# Methods of the generated clients that operations must not shadow (the login's
# too, whether or not the spec has a token endpoint: adding one renames nothing).
CLIENT_METHODS: frozenset[str] = frozenset(
    {
        "close",
        "aclose",
        "config",
        "send",
        "http_client",
        "base_url",
        "login",
        "logout",
        "refresh_login",
        "tokens",
    }
)
# OpenAPI: header parameters with these names are ignored.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
IDEMPOTENCY_HEADER = "idempotency-key"
# media type -> how the body travels (httpx argument); the first match wins.
BODY_KINDS: tuple[tuple[str, str], ...] = (
    ("json", "json"),
    ("application/x-www-form-urlencoded", "form"),
    ("multipart/form-data", "multipart"),
    ("text/", "text"),
    ("", "bytes"),
)


@dataclass(frozen=True, slots=True)
class ParamView:
    python_name: str
    wire_name: str
    location: str  # path | query | header | cookie
    type: str
    required: bool
    style: str
    explode: bool
    description: str | None


@dataclass(frozen=True, slots=True)
class BodyView:
    type: str
    media_type: str
    kind: str  # json | form | multipart | text | bytes
    required: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    condition: str  # a Python expression over ``response.status_code``
    kind: str  # json | none | text | bytes
    type: str


@dataclass(frozen=True, slots=True)
class OperationView:
    name: str
    operation_id: str
    method: str
    path: str
    summary: str | None
    description: str | None
    deprecated: bool
    params: tuple[ParamView, ...]
    body: BodyView | None
    outcomes: tuple[Outcome, ...]
    return_type: str
    security: tuple[str, ...]  # scheme names the operation accepts
    idempotency_header: str | None
    pagination: Pagination | None
    iter_name: str | None
    iter_pages_name: str | None

    @property
    def path_params(self) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if p.location == "path")

    @property
    def other_params(self) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if p.location != "path")

    def params_except(self, python_name: str) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if p.python_name != python_name)


def operation_views(api: Api, names: ModelNames) -> list[OperationView]:
    """One view per operation, sorted by method name."""
    methods = ir_names.Namespace(style="snake", reserved=CLIENT_METHODS)
    claimed = [(op, methods.claim(op.python_name)) for op in api.operations]
    views = [_view(op, name, api, names, methods) for op, name in claimed]
    return sorted(views, key=lambda view: view.name)


def _view(
    op: Operation, name: str, api: Api, names: ModelNames, methods: ir_names.Namespace
) -> OperationView:
    params = _params(op, api, names)
    outcomes = tuple(_outcome(r, api, names) for r in op.responses if _is_success(r, op))
    return_type = union([o.type for o in outcomes])
    pagination = detect(op, return_type, api, names)
    idempotency = next(
        (
            p.wire_name
            for p in params
            if p.location == "header" and p.wire_name.lower() == IDEMPOTENCY_HEADER
        ),
        None,
    )
    return OperationView(
        name=name,
        operation_id=op.operation_id,
        method=op.method,
        path=op.path,
        summary=op.summary,
        description=op.description,
        deprecated=op.deprecated,
        params=params,
        body=_body(op, api, names),
        outcomes=outcomes,
        return_type=return_type,
        security=tuple(sorted({scheme for req in op.security for scheme, _ in req.schemes})),
        idempotency_header=idempotency,
        pagination=pagination,
        iter_name=methods.claim(f"iter_{name}") if pagination else None,
        iter_pages_name=methods.claim(f"iter_{name}_pages") if pagination else None,
    )


def _params(op: Operation, api: Api, names: ModelNames) -> tuple[ParamView, ...]:
    namespace = ir_names.Namespace(style="snake", reserved=CALL_OPTIONS)
    kept = [p for p in op.parameters if not _ignored(p)]
    order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
    kept.sort(key=lambda p: (order[p.location.value], not p.required))
    return tuple(
        ParamView(
            python_name=namespace.claim(p.python_name),
            wire_name=p.name,
            location=p.location.value,
            type=type_expr(p.schema, api, names, "request"),
            required=p.required or p.location is ParameterLocation.PATH,
            style=p.style,
            explode=p.explode,
            description=p.description,
        )
        for p in kept
    )


def _ignored(param: Parameter) -> bool:
    return param.location is ParameterLocation.HEADER and param.name.lower() in IGNORED_HEADERS


def _media(content: tuple[MediaType, ...]) -> tuple[MediaType, str] | None:
    for needle, kind in BODY_KINDS:
        for media in content:
            if needle in media.media_type:
                return media, kind
    return None


def _body(op: Operation, api: Api, names: ModelNames) -> BodyView | None:
    if op.request_body is None:
        return None
    chosen = _media(op.request_body.content)
    if chosen is None:
        return None
    media, kind = chosen
    types = {"text": "str", "bytes": "bytes"}
    python_type = types.get(kind) or type_expr(media.schema, api, names, "request")
    return BodyView(python_type, media.media_type, kind, op.request_body.required)


def _is_success(response: Response, op: Operation) -> bool:
    if response.is_success:
        return True
    # "default" describes success only when the operation lists no 2XX response
    return response.status == "default" and not any(r.is_success for r in op.responses)


def _outcome(response: Response, api: Api, names: ModelNames) -> Outcome:
    status = response.status
    if status == "default":
        condition = "200 <= response.status_code < 300"
    elif status.endswith("XX"):
        low = int(status[0]) * 100
        condition = f"{low} <= response.status_code < {low + 100}"
    else:
        condition = f"response.status_code == {int(status)}"
    chosen = _media(response.content)
    if chosen is None:
        return Outcome(condition, "none", "None")
    media, kind = chosen
    if kind == "json":
        return Outcome(condition, "json", type_expr(media.schema, api, names, "response"))
    if kind == "text":
        return Outcome(condition, "text", "str")
    return Outcome(condition, "bytes", "bytes")
