"""Compare one operation in two versions: parameters, request body, responses.

Parameters are matched by ``(in, name)``; path parameters by their position
in the template, so ``/orders/{id}`` → ``/orders/{orderId}`` is a rename
(SF407), not a removal plus an addition. Schemas are handed to
:class:`codegen.designer.diff.schemas.SchemaComparer` with the direction they take
effect in: parameters and request bodies as *request*, responses and
response headers as *response*.

Example: adding ``{name: tenant, in: header, required: true}`` to ``GET /orders``
reports SF410 "GET /orders: required header parameter 'tenant' added".
"""

from __future__ import annotations

from codegen.core.openapi import REQUEST, RESPONSE
from codegen.core.spec.pointer import unescape
from codegen.designer.diff.model import DiffContext, Subject
from codegen.designer.diff.schemas import SchemaComparer
from codegen.designer.diff.security import compare_security
from codegen.designer.lint.document import Document, Node, OperationNode
from codegen.designer.lint.rules.paths import TEMPLATE_VARIABLE


def label(op: OperationNode) -> str:
    return f"{op.method.upper()} {op.path}"


def compare_operation(ctx: DiffContext, old: OperationNode, new: OperationNode) -> None:
    name = label(new)
    before_id, after_id = old.node.get("operationId"), new.node.get("operationId")
    if before_id != after_id and before_id is not None:
        ctx.report(
            "SF406",
            f"{name}: operationId changed from {before_id!r} to {after_id!r}",
            old.node.child("operationId"),
            new.node.child("operationId"),
        )
    if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
        ctx.report("SF405", f"{name}: deprecated", old.node, new.node.child("deprecated"))
    for keyword in ("summary", "description"):
        if old.node.get(keyword) != new.node.get(keyword):
            ctx.report(
                "SF490",
                f"{name}: {keyword} changed",
                old.node.child(keyword),
                new.node.child(keyword),
            )
    compare_parameters(ctx, old, new)
    compare_request_body(ctx, old, new)
    compare_responses(ctx, old, new)
    compare_security(ctx, old, new)


def _part(
    ctx: DiffContext, kind: str, name: str = "", location: str = "", absent: bool = False
) -> Subject | None:
    """The subject of a change to one part of the operation being compared."""
    if ctx.operation is None:
        return None
    return ctx.operation.part(kind, name, location, absent)


def _parameter_subject(ctx: DiffContext, param: Node, absent: bool = False) -> Subject | None:
    where, name = str(param.get("in")), str(param.get("name"))
    return _part(ctx, "parameter", name.lower() if where == "header" else name, where, absent)


def _parameter_keys(doc: Document, op: OperationNode) -> dict[tuple[str, str], Node]:
    """Parameters keyed by ``(in, name)``; path parameters by ``("path", "#<position>")``."""
    positions = {var: n for n, var in enumerate(TEMPLATE_VARIABLE.findall(op.path))}
    keyed: dict[tuple[str, str], Node] = {}
    for _, param in doc.parameters(op):
        where, param_name = str(param.get("in")), str(param.get("name"))
        if where == "path" and param_name in positions:
            keyed[("path", f"#{positions[param_name]}")] = param
        else:
            keyed[(where, param_name.lower() if where == "header" else param_name)] = param
    return keyed


def compare_parameters(ctx: DiffContext, old: OperationNode, new: OperationNode) -> None:
    name = label(new)
    before = _parameter_keys(ctx.old, old)
    after = _parameter_keys(ctx.new, new)
    moved: set[tuple[str, str]] = set()
    for key, param in before.items():
        if key in after:
            _compare_parameter(ctx, name, param, after[key])
            continue
        elsewhere = next(
            (k for k in after if k[1] == key[1] and k not in before and key[0] != "path"), None
        )
        described = f"{key[0]} parameter {param.get('name')!r}"
        if elsewhere is not None:
            moved.add(elsewhere)
            ctx.report(
                "SF416",
                f"{name}: {described} moved to {elsewhere[0]}",
                param.child("in"),
                after[elsewhere].child("in"),
                subject=_parameter_subject(ctx, param),
            )
        else:
            subject = _parameter_subject(ctx, param)
            ctx.report("SF412", f"{name}: {described} removed", param, new.node, subject=subject)
    for key, param in after.items():
        if key in before or key in moved:
            continue
        required = param.get("required") is True
        kind = "required" if required else "optional"
        ctx.report(
            "SF410" if required else "SF411",
            f"{name}: {kind} {key[0]} parameter {param.get('name')!r} added",
            old.node,
            param,
            subject=_parameter_subject(ctx, param, absent=required),
        )


def _compare_parameter(ctx: DiffContext, op_name: str, old: Node, new: Node) -> None:
    where = f"{op_name}: {new.get('in')} parameter {new.get('name')!r}"
    if old.get("name") != new.get("name"):
        ctx.report(
            "SF407",
            f"{op_name}: path parameter {old.get('name')!r} renamed to {new.get('name')!r} "
            "(same position)",
            old.child("name"),
            new.child("name"),
        )
    was_required, is_required = old.get("required") is True, new.get("required") is True
    subject = _parameter_subject(ctx, old)
    if is_required and not was_required:
        ctx.report(
            "SF413",
            f"{where} became required",
            old,
            new.child("required"),
            subject=_parameter_subject(ctx, old, absent=True),
        )
    elif was_required and not is_required:
        ctx.report("SF414", f"{where} became optional", old.child("required"), new, subject=subject)
    for keyword, before, after in zip(
        ("style", "explode"), serialization(old), serialization(new), strict=True
    ):
        if before != after:
            ctx.report(
                "SF417",
                f"{where}: {keyword} changed from {before!r} to {after!r}",
                old.child(keyword),
                new.child(keyword),
                subject=subject,
            )
    if old.get("description") != new.get("description"):
        ctx.report(
            "SF490",
            f"{where}: description changed",
            old.child("description"),
            new.child("description"),
        )
    comparer = SchemaComparer(ctx, REQUEST, where, type_check="SF415", subject=subject)
    old_schema, new_schema = _parameter_schema(old), _parameter_schema(new)
    if old_schema is not None and new_schema is not None:
        comparer.compare(old_schema, new_schema)


def serialization(param: Node) -> tuple[str, bool]:
    """Effective ``(style, explode)`` with OpenAPI's defaults: ``form``/explode for
    query and cookie, ``simple`` for path and header; explode defaults to
    ``style == "form"``.

    Example: ``{in: query}`` → ``("form", True)``.
    """
    default = "form" if param.get("in") in {"query", "cookie"} else "simple"
    style = param.get("style")
    style = style if isinstance(style, str) else default
    explode = param.get("explode")
    return style, explode if isinstance(explode, bool) else style == "form"


def _parameter_schema(param: Node) -> Node | None:
    if param.get("schema") is not None:
        return param.child("schema")
    for _, media in param.child("content").items():
        return media.child("schema")
    return None


def compare_request_body(ctx: DiffContext, old: OperationNode, new: OperationNode) -> None:
    name = label(new)
    before = ctx.old.deref(old.node.child("requestBody"))
    after = ctx.new.deref(new.node.child("requestBody"))
    if before.value is None and after.value is None:
        return
    if before.value is None:
        if after.get("required") is True:
            subject = _part(ctx, "body", absent=True)
            ctx.report(
                "SF420", f"{name}: required request body added", old.node, after, subject=subject
            )
        else:
            ctx.report("SF425", f"{name}: optional request body added", old.node, after)
        return
    if after.value is None:
        subject = _part(ctx, "body")
        ctx.report("SF422", f"{name}: request body removed", before, new.node, subject=subject)
        return
    was_required, is_required = before.get("required") is True, after.get("required") is True
    if is_required and not was_required:
        ctx.report(
            "SF421",
            f"{name}: request body became required",
            before,
            after.child("required"),
            subject=_part(ctx, "body", absent=True),
        )
    elif was_required and not is_required:
        ctx.report(
            "SF425", f"{name}: request body became optional", before.child("required"), after
        )
    _compare_content(ctx, f"{name} request body", before, after, REQUEST)


def _compare_content(ctx: DiffContext, site: str, old: Node, new: Node, direction: str) -> None:
    removed_check, added_check = ("SF423", "SF424") if direction == REQUEST else ("SF454", "SF455")
    before = {_media(media): node for media, node in old.child("content").items()}
    after = {_media(media): node for media, node in new.child("content").items()}
    request = direction == REQUEST
    for media, node in before.items():
        if media not in after:
            ctx.report(
                removed_check,
                f"{site}: media type {media} removed",
                node,
                new.child("content"),
                subject=_part(ctx, "media", media) if request else None,
            )
            continue
        old_schema, new_schema = node.child("schema"), after[media].child("schema")
        if old_schema.value is not None and new_schema.value is not None:
            properties = _part(ctx, "property") if request else None
            comparer = SchemaComparer(ctx, direction, f"{site} ({media})", subject=properties)
            comparer.compare(old_schema, new_schema)
        elif old_schema.value is not None and direction == RESPONSE:
            ctx.report("SF460", f"{site} ({media}): schema removed", old_schema, after[media])
        elif new_schema.value is not None and request:
            added = f"{site} ({media}): schema added"
            ctx.report("SF432", added, node, new_schema, subject=_part(ctx, "media", media))
    for media, node in after.items():
        if media not in before:
            ctx.report(added_check, f"{site}: media type {media} added", old.child("content"), node)


def compare_responses(ctx: DiffContext, old: OperationNode, new: OperationNode) -> None:
    name = label(new)
    before = {_status(k): v for k, v in old.node.child("responses").items()}
    after = {_status(k): v for k, v in new.node.child("responses").items()}
    old_success = [s for s in before if s.startswith("2")]
    new_success = [s for s in after if s.startswith("2")]
    swapped = bool(old_success) and bool(new_success) and not set(old_success) & set(new_success)
    if swapped:
        ctx.report(
            "SF452",
            f"{name}: success status changed from {', '.join(old_success)} to "
            f"{', '.join(new_success)}",
            before[old_success[0]],
            after[new_success[0]],
        )
        _compare_response(
            ctx, f"{name} response {new_success[0]}", before[old_success[0]], after[new_success[0]]
        )
    for status, node in before.items():
        if status in after:
            _compare_response(ctx, f"{name} response {status}", node, after[status])
        elif not (swapped and status in old_success):
            ctx.report(
                "SF450", f"{name}: response {status} removed", node, new.node.child("responses")
            )
    for status, node in after.items():
        if status in before or (swapped and status in new_success):
            continue
        check = "SF453" if status.startswith("2") else "SF451"
        ctx.report(check, f"{name}: response {status} added", old.node.child("responses"), node)


def _media(name: str) -> str:
    """``"Application/JSON; charset=utf-8"`` → ``"application/json"``."""
    return name.split(";", 1)[0].strip().lower()


def _name_of(node: Node) -> str:
    """The key a node sits under: ``#/.../headers/X-Rate`` → ``X-Rate``."""
    return unescape(node.pointer.rsplit("/", 1)[-1])


def _status(key: str) -> str:
    """``"2xx"`` → ``"2XX"``; ``"Default"`` → ``"default"``."""
    return "default" if key.lower() == "default" else key.upper()


def _compare_response(ctx: DiffContext, site: str, old_raw: Node, new_raw: Node) -> None:
    old, new = ctx.old.deref(old_raw), ctx.new.deref(new_raw)
    if old.get("description") != new.get("description"):
        ctx.report(
            "SF490",
            f"{site}: description changed",
            old.child("description"),
            new.child("description"),
        )
    before = {str(k).lower(): v for k, v in old.child("headers").items()}
    after = {str(k).lower(): v for k, v in new.child("headers").items()}
    for key, raw in before.items():
        header = _name_of(raw)
        if key not in after:
            ctx.report("SF466", f"{site}: header {header!r} removed", raw, new.child("headers"))
            continue
        old_header, new_header = ctx.old.deref(raw), ctx.new.deref(after[key])
        if old_header.get("required") is True and new_header.get("required") is not True:
            ctx.report(
                "SF468", f"{site}: header {header!r} became optional", old_header, new_header
            )
        old_schema, new_schema = _parameter_schema(old_header), _parameter_schema(new_header)
        if old_schema is not None and new_schema is not None:
            SchemaComparer(ctx, RESPONSE, f"{site} header {header!r}").compare(
                old_schema, new_schema
            )
    for key, raw in after.items():
        if key not in before:
            header = _name_of(raw)
            ctx.report("SF467", f"{site}: header {header!r} added", old.child("headers"), raw)
    _compare_content(ctx, site, old, new, RESPONSE)
