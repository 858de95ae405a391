"""IR operations: ordering, ids and names, groups, parameters (merge,
style/explode defaults), bodies, responses, security."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.core.ir.model import Api, Operation, ParameterLocation, Schema, SchemaRef
from tests.codegen.ir.helpers import build, spec

OK = {"200": {"description": "ok"}}


def operations(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> tuple[Api, list[Operation]]:
    api, diagnostics = build(tmp_path, spec(paths=paths, **extra))
    assert [d for d in diagnostics if d.severity.name == "ERROR"] == []
    return api, list(api.operations)


def test_operations_sorted_by_path_then_method(tmp_path: Path) -> None:
    _, ops = operations(
        tmp_path,
        {
            "/b": {"post": {"responses": OK}, "get": {"responses": OK}},
            "/a/{id}": {
                "delete": {"responses": OK},
                "patch": {"responses": OK},
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
            },
            "/a": {"put": {"responses": OK}},
        },
    )
    assert [(op.method, op.path) for op in ops] == [
        ("put", "/a"),
        ("delete", "/a/{id}"),
        ("patch", "/a/{id}"),
        ("get", "/b"),
        ("post", "/b"),
    ]


def test_operation_ids_fallbacks_and_python_names(tmp_path: Path) -> None:
    _, ops = operations(
        tmp_path,
        {
            "/orders/{order_id}": {
                "parameters": [
                    {
                        "name": "order_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "get": {"responses": OK},
                "put": {"operationId": "get_orders_by_order_id", "responses": OK},
            },
            "/x": {
                "get": {"operationId": "List-Orders", "responses": OK},
                "post": {"operationId": "dispatch", "responses": OK},
                "put": {"operationId": "list_orders", "responses": OK},
            },
        },
    )
    assert [(op.operation_id, op.python_name, op.has_explicit_operation_id) for op in ops] == [
        ("get_orders_by_order_id_", "get_orders_by_order_id_2", False),
        ("get_orders_by_order_id", "get_orders_by_order_id", True),
        ("List-Orders", "list_orders", True),
        ("list_orders", "list_orders_2", True),
        ("dispatch", "dispatch_", True),
    ]


@pytest.mark.parametrize(
    ("path", "tags", "group"),
    [
        ("/orders/{id}", ["Sales", "x"], "Sales"),
        ("/orders/{id}", None, "orders"),
        ("/{tenant}/users", None, "users"),
        ("/", None, "default"),
    ],
)
def test_group_is_first_tag_else_first_literal_segment(
    tmp_path: Path, path: str, tags: list[str] | None, group: str
) -> None:
    operation: dict[str, Any] = {"responses": OK}
    if tags:
        operation["tags"] = tags
    params = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
        for n in ("id", "tenant")
        if "{" + n + "}" in path
    ]
    _, [op] = operations(tmp_path, {path: {"get": operation, "parameters": params}})
    assert op.group == group


@pytest.mark.parametrize(
    ("where", "declared", "style", "explode"),
    [
        ("query", {}, "form", True),
        ("cookie", {}, "form", True),
        ("path", {}, "simple", False),
        ("header", {}, "simple", False),
        ("query", {"style": "deepObject", "explode": True}, "deepObject", True),
        ("query", {"style": "pipeDelimited"}, "pipeDelimited", False),
        ("query", {"explode": False}, "form", False),
        ("path", {"style": "label", "explode": True}, "label", True),
    ],
)
def test_style_and_explode_defaults(
    tmp_path: Path, where: str, declared: dict[str, Any], style: str, explode: bool
) -> None:
    parameter = {"name": "p", "in": where, "schema": {"type": "string"}, **declared}
    path = "/x/{p}" if where == "path" else "/x"
    if where == "path":
        parameter["required"] = True
    _, [op] = operations(tmp_path, {path: {"get": {"parameters": [parameter], "responses": OK}}})
    [built] = op.parameters
    assert (built.location, built.style, built.explode) == (
        ParameterLocation(where),
        style,
        explode,
    )


def test_parameters_merge_operation_wins(tmp_path: Path) -> None:
    _, [op] = operations(
        tmp_path,
        {
            "/o/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"$ref": "#/components/parameters/Trace"},
                ],
                "get": {
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "integer", "maximum": 5},
                        },
                        {"name": "id", "in": "header", "schema": {"type": "string"}},
                        {
                            "name": "filter",
                            "in": "query",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                    ],
                    "operationId": "getO",
                    "responses": OK,
                },
            }
        },
        components={
            "parameters": {
                "Trace": {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}
            }
        },
    )
    assert [(p.name, p.location.value, p.python_name, p.required) for p in op.parameters] == [
        ("id", "path", "id_", True),
        ("limit", "query", "limit", True),
        ("X-Trace", "header", "x_trace", False),
        ("id", "header", "id_2", False),
        ("filter", "query", "filter_", False),
    ]
    limit = op.parameters[1].schema
    assert isinstance(limit, Schema) and limit.maximum == 5
    assert op.parameters[4].content_media_type == "application/json"
    assert op.parameters[4].schema == SchemaRef("GetOFilterParam")


def test_request_body_and_response_schemas_are_named(tmp_path: Path) -> None:
    api, [op] = operations(
        tmp_path,
        {
            "/orders": {
                "post": {
                    "operationId": "createOrder",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"f": {"type": "string", "format": "binary"}},
                                },
                                "encoding": {"f": {"contentType": "image/png"}},
                            },
                            "application/json": {"schema": {"type": "object"}, "example": {"a": 1}},
                        },
                    },
                    "responses": {
                        "default": {"$ref": "#/components/responses/Problem"},
                        "2XX": {"description": "any"},
                        "201": {
                            "description": "made",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "4xx": {"description": "client"},
                        "200": {
                            "description": "array",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"type": "object"}}
                                }
                            },
                        },
                    },
                }
            }
        },
        components={
            "responses": {
                "Problem": {
                    "description": "p",
                    "content": {"application/problem+json": {"schema": {"type": "object"}}},
                }
            }
        },
    )
    body = op.request_body
    assert body is not None and body.required
    assert [(m.media_type, m.schema) for m in body.content] == [
        ("application/json", SchemaRef("CreateOrderRequest")),
        ("multipart/form-data", SchemaRef("CreateOrderRequestFormData")),
    ]
    assert body.content[0].examples[0].value == {"a": 1}
    assert body.content[1].encoding[0].content_type == "image/png"
    assert [r.status for r in op.responses] == ["200", "201", "2XX", "4XX", "default"]
    array = op.responses[0].content[0].schema
    assert isinstance(array, Schema) and array.items == SchemaRef("CreateOrder200ResponseItem")
    assert op.responses[1].content[0].schema == SchemaRef("CreateOrder201Response")
    assert op.responses[1].headers[0].name == "Location"
    assert op.responses[4].content[0].schema == SchemaRef("ProblemResponse")
    assert "ProblemResponse" in api.schemas


def test_effective_security(tmp_path: Path) -> None:
    _, ops = operations(
        tmp_path,
        {
            "/a": {
                "get": {"responses": OK},
                "post": {"security": [], "responses": OK},
                "put": {"security": [{"oauth": ["write", "read"]}, {}], "responses": OK},
            }
        },
        security=[{"key": []}],
        components={
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "implicit": {
                            "authorizationUrl": "https://a",
                            "scopes": {"write": "w", "read": "r"},
                        },
                        "clientCredentials": {"tokenUrl": "https://t", "scopes": {"admin": "a"}},
                    },
                },
            }
        },
    )
    get, put, post = ops
    assert [r.schemes for r in get.security] == [(("key", ()),)]
    assert post.security == ()
    assert [r.schemes for r in put.security] == [(("oauth", ("write", "read")),), ()]


def test_security_schemes(tmp_path: Path) -> None:
    api, _ = build(
        tmp_path,
        spec(
            components={
                "securitySchemes": {
                    "jwt": {"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"},
                    "key": {
                        "type": "apiKey",
                        "in": "cookie",
                        "name": "sid",
                        "description": "session",
                    },
                    "oauth": {
                        "type": "oauth2",
                        "flows": {
                            "password": {"tokenUrl": "https://t", "scopes": {"b": "", "a": ""}}
                        },
                    },
                }
            }
        ),
    )
    jwt, key, oauth = api.security_schemes.values()
    assert (jwt.type, jwt.scheme, jwt.bearer_format) == ("http", "bearer", "JWT")
    assert (key.location, key.parameter_name, key.description) == ("cookie", "sid", "session")
    assert oauth.scopes == ("a", "b")


def test_api_metadata(tmp_path: Path) -> None:
    api, _ = build(
        tmp_path,
        spec(
            "3.0.3",
            servers=[{"url": "https://api.example.com/v1"}],
            info={"title": "Shop", "version": "2.1", "description": "d"},
        ),
    )
    assert (api.title, api.version, api.openapi_version, api.description) == (
        "Shop",
        "2.1",
        "3.0.3",
        "d",
    )
    assert api.servers == ("https://api.example.com/v1",)
    assert api.source_file == f"{tmp_path}/spec.json"
    assert len(api.source_sha256) == 64


def test_operation_source_locations(tmp_path: Path) -> None:
    _, [op] = operations(tmp_path, {"/a": {"get": {"responses": OK}}})
    assert op.source is not None
    assert (op.source.pointer, op.source.line, op.source.column) == ("/paths/~1a/get", 9, 7)


def test_path_item_ref_into_other_file(tmp_path: Path) -> None:
    (tmp_path / "items.yaml").write_text(
        "orders:\n  get:\n    operationId: listOrders\n    responses:\n      '200':\n"
        "        description: ok\n        content:\n          application/json:\n"
        "            schema: {type: object, properties: {n: {type: integer}}}\n"
    )
    api, [op] = operations(tmp_path, {"/orders": {"$ref": "items.yaml#/orders"}})
    assert (op.operation_id, op.path) == ("listOrders", "/orders")
    assert op.responses[0].content[0].schema == SchemaRef("ListOrders200Response")
    assert api.schemas["ListOrders200Response"].location.file == f"{tmp_path}/items.yaml"


def test_shared_objects_name_their_schemas(tmp_path: Path) -> None:
    (tmp_path / "errors.yaml").write_text(
        "Problem:\n  description: p\n  content:\n    application/json:\n"
        "      schema: {type: object, properties: {title: {type: string}}}\n"
    )
    obj = {"type": "object"}
    api, ops = operations(
        tmp_path,
        {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {"400": {"$ref": "errors.yaml#/Problem"}},
                }
            },
            "/b": {
                "get": {
                    "operationId": "getB",
                    "parameters": [{"$ref": "#/components/parameters/Filter"}],
                    "responses": {
                        "400": {"$ref": "errors.yaml#/Problem"},
                        "404": {"$ref": "#/components/responses/Missing"},
                    },
                }
            },
        },
        components={
            "parameters": {"Filter": {"name": "f", "in": "query", "schema": obj}},
            "responses": {
                "Missing": {
                    "description": "m",
                    "headers": {"X-Trace": {"schema": obj}},
                    "content": {"application/json": {"schema": obj}},
                }
            },
        },
    )
    assert sorted(api.schemas) == [
        "FilterParam",
        "MissingResponse",
        "MissingResponseXTraceHeader",
        "ProblemResponse",
    ]
    assert ops[0].responses[0].content[0].schema == SchemaRef("ProblemResponse")
    assert ops[1].responses[0].content[0].schema == SchemaRef("ProblemResponse")
