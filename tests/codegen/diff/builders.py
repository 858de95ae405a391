"""Tiny spec builders for the diff table: each returns a whole OpenAPI document.

The documents are written as JSON (valid YAML too), so a case is a few
lines of Python: ``request({"type": "string", "maxLength": 5})`` is a spec
whose only operation, ``POST /items``, takes that schema as its body.
"""

from __future__ import annotations

from typing import Any

OK = {"200": {"description": "ok"}}

Spec = dict[str, Any]


def document(paths: dict[str, Any], schemas: dict[str, Any] | None = None, **extra: Any) -> Spec:
    spec: Spec = {
        "openapi": extra.pop("openapi", "3.1.0"),
        "info": {"title": "T", "version": "1"},
        "paths": paths,
    }
    components: dict[str, Any] = dict(extra.pop("components", {}))
    if schemas:
        components["schemas"] = schemas
    if components:
        spec["components"] = components
    spec.update(extra)
    return spec


def operation(**fields: Any) -> dict[str, Any]:
    return {"responses": OK, **fields}


def json_content(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def request(
    schema: Any, schemas: dict[str, Any] | None = None, required: bool = True, **extra: Any
) -> Spec:
    """``POST /items`` taking ``schema`` as its JSON body."""
    body = {"required": required, "content": json_content(schema)}
    return document({"/items": {"post": operation(requestBody=body)}}, schemas, **extra)


def response(
    schema: Any, schemas: dict[str, Any] | None = None, status: str = "200", **extra: Any
) -> Spec:
    """``GET /items`` answering ``schema`` as JSON."""
    responses = {status: {"description": "ok", "content": json_content(schema)}}
    return document({"/items": {"get": {"responses": responses}}}, schemas, **extra)


def parameters(*params: dict[str, Any], path: str = "/items", **extra: Any) -> Spec:
    """``GET path`` with these parameters."""
    return document({path: {"get": operation(parameters=list(params))}}, **extra)


def query(name: str, schema: Any | None = None, **fields: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema or {"type": "string"}, **fields}


def obj(properties: dict[str, Any], required: list[str] | None = None, **fields: Any) -> Any:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **fields}
    if required:
        schema["required"] = required
    return schema


def string(**fields: Any) -> dict[str, Any]:
    return {"type": "string", **fields}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def secured(security: list[dict[str, list[str]]] | None) -> Spec:
    """``GET /items`` with the given operation security (None: no security at all)."""
    op = operation() if security is None else operation(security=security)
    schemes = {
        "securitySchemes": {
            "oauth": {"type": "oauth2", "flows": {}},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        }
    }
    return document({"/items": {"get": op}}, components=schemes)
