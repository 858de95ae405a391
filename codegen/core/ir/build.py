"""Loaded spec → :class:`codegen.core.ir.model.Api`.

``build_api(loaded)`` walks the document once, in a fixed order (component
schemas first, then operations sorted by path and method), so names and
output never depend on hashing. Everything a renderer needs is settled here:
``$ref`` followed, path-level and operation-level parameters merged (the
operation wins), style/explode defaults applied, effective security chosen,
responses sorted (``200 … 599``, then ``1XX … 5XX``, then ``default``).

Example: ``GET /orders/{id}`` with path-level ``id`` and no operationId
becomes ``Operation(operation_id="get_orders_by_id", python_name=
"get_orders_by_id", group="orders", has_explicit_operation_id=False,
parameters=(Parameter(name="id", location=PATH, style="simple", ...),), ...)``.
"""

from __future__ import annotations

from typing import Any

from codegen.core.diagnostics import Diagnostic
from codegen.core.ir.model import Api, Operation
from codegen.core.ir.operations import OperationBuilder
from codegen.core.ir.schemas import SchemaBuilder
from codegen.core.ir.security import security_requirements, security_schemes
from codegen.core.openapi import HTTP_METHODS
from codegen.core.spec import pointer as jp
from codegen.core.spec.loader import LoadedSpec

_METHOD_ORDER = {method: index for index, method in enumerate(HTTP_METHODS)}


def build_api(loaded: LoadedSpec) -> tuple[Api | None, list[Diagnostic]]:
    """Build the IR of ``loaded``; ``None`` only if the document is unusable
    (its ``paths`` or ``components`` are not objects)."""
    diagnostics: list[Diagnostic] = []
    data = loaded.root.data
    for key in ("paths", "components", "info"):
        if key in data and not isinstance(data[key], dict):
            diagnostics.append(
                loaded.diagnostic("SF202", f"'{key}' must be an object", loaded.root, f"/{key}")
            )
    if diagnostics:
        return None, diagnostics
    schemas = SchemaBuilder(loaded, diagnostics)
    schemas.add_components()
    root_security = security_requirements(data.get("security"))
    operation_builder = OperationBuilder(loaded, schemas, diagnostics, root_security or ())
    operations = _operations(loaded, operation_builder)
    info = data.get("info") or {}
    api = Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        openapi_version=loaded.openapi_version,
        source_file=loaded.root.display,
        source_sha256=loaded.root.sha256,
        operations=operations,
        schemas=schemas.finish(),
        schema_resources=schemas.schema_resources(),
        json_schema_dialect=_dialect(data.get("jsonSchemaDialect")),
        security_schemes=security_schemes(loaded, diagnostics),
        servers=_servers(data.get("servers")),
        description=info.get("description") if isinstance(info.get("description"), str) else None,
        path_order=tuple(data.get("paths") or ()),
    )
    return api, diagnostics


def _operations(loaded: LoadedSpec, builder: OperationBuilder) -> tuple[Operation, ...]:
    """Every operation, sorted by (path, method order); python names claimed
    in that order so they are stable."""
    found: list[tuple[str, str, Any, Any, str]] = []  # path, method, path item file, op, pointer
    paths = loaded.root.data.get("paths") or {}
    for path, raw_item in paths.items():
        item_pointer = jp.child("/paths", path)
        item_file, item = loaded.root, raw_item
        if isinstance(raw_item, dict) and "$ref" in raw_item:
            resolved = builder.follow(raw_item, loaded.root, item_pointer)
            if resolved is None:
                continue
            item_file, item_pointer, item = resolved
        if not isinstance(item, dict):
            builder.error("SF202", "a path item must be an object", item_file, item_pointer)
            continue
        for method in HTTP_METHODS:
            if method in item:
                found.append((path, method, item_file, item, item_pointer))
    found.sort(key=lambda entry: (entry[0], _METHOD_ORDER[entry[1]]))
    builder.claim_operation_ids(
        [(path, method, item.get(method)) for path, method, _, item, _ in found]
    )
    return tuple(
        operation
        for path, method, file, item, pointer in found
        if (operation := builder.operation(path, method, file, item, pointer)) is not None
    )


def _dialect(raw: Any) -> str | None:
    return raw if isinstance(raw, str) else None


def _servers(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(str(s["url"]) for s in raw if isinstance(s, dict) and "url" in s)
