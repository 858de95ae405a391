"""One OpenAPI operation → :class:`codegen.core.ir.model.Operation`.

Parameters, request bodies, responses, headers, links and examples are
resolved through ``$ref`` here; their schemas go through
:class:`codegen.core.ir.schemas.SchemaBuilder`, named after the operation
(``CreateOrderRequest``, ``GetOrder200Response``, ``ListOrdersStatusParam``).

Example: ``parameters: [{name: tags, in: query, schema: {type: array}}]``
becomes ``Parameter(name="tags", python_name="tags", location=QUERY,
required=False, style="form", explode=True, schema=Schema(types=("array",)))``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePosixPath
from typing import Any

from codegen.core.diagnostics import Diagnostic, Severity
from codegen.core.ir import names
from codegen.core.ir.model import (
    MISSING,
    Encoding,
    Example,
    Header,
    Link,
    MediaType,
    Operation,
    Parameter,
    ParameterLocation,
    RequestBody,
    Response,
    SchemaNode,
    SecurityRequirement,
)
from codegen.core.ir.schemas import SchemaBuilder
from codegen.core.ir.security import security_requirements
from codegen.core.routing.keys import PathKey, split_key
from codegen.core.spec import pointer as jp
from codegen.core.spec.loader import LoadedSpec, RefSite, SpecFile
from codegen.core.spec.refs import RefError

_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
_RANGE = re.compile(r"^[1-5]XX$")


def response_sort_key(status: str) -> tuple[int, int, str]:
    """Numeric codes first, then ranges, then ``default``.

    >>> sorted(["default", "2XX", "404", "200"], key=response_sort_key)
    ['200', '404', '2XX', 'default']
    """
    if status.isdigit():
        return (0, int(status), status)
    if _RANGE.match(status):
        return (1, int(status[0]), status)
    return (2 if status == "default" else 3, 0, status)


def _json_first(media_type: str) -> tuple[int, str]:
    """JSON media types name the main schema; others get a suffix."""
    base = media_type.split(";", maxsplit=1)[0].strip().lower()
    is_json = base == "application/json" or base.endswith("+json")
    return (0 if is_json else 1, media_type)


class OperationBuilder:
    """Builds operations; holds what they share (schemas, root security)."""

    def __init__(
        self,
        loaded: LoadedSpec,
        schemas: SchemaBuilder,
        diagnostics: list[Diagnostic],
        root_security: tuple[SecurityRequirement, ...],
    ) -> None:
        self.loaded = loaded
        self.schemas = schemas
        self.diagnostics = diagnostics
        self.root_security = root_security
        self._ids: dict[tuple[str, str], tuple[str, str, bool]] = {}

    # -- plumbing shared with build.py ----------------------------------

    def follow(
        self, raw: dict[str, Any], file: SpecFile, pointer: str
    ) -> tuple[SpecFile, str, Any] | None:
        """Resolve the ``$ref`` in ``raw`` (chains followed); report failures."""
        try:
            return self.loaded.resolve(raw["$ref"], file)
        except RefError as error:
            site = RefSite(file, pointer, str(raw["$ref"]))
            self.diagnostics.append(self.loaded.ref_diagnostic(site, error))
            return None

    def deref(self, raw: Any, file: SpecFile, pointer: str) -> tuple[SpecFile, str, Any] | None:
        if isinstance(raw, dict) and "$ref" in raw:
            return self.follow(raw, file, pointer)
        return file, pointer, raw

    def error(
        self, code: str, message: str, file: SpecFile, pointer: str, *, warning: bool = False
    ) -> None:
        severity = Severity.WARNING if warning else Severity.ERROR
        self.diagnostics.append(
            self.loaded.diagnostic(code, message, file, pointer, severity=severity)
        )

    def claim_operation_ids(self, operations: list[tuple[str, str, Any]]) -> None:
        """Fix (operation_id, python_name, explicit) for every operation, in
        sorted order: explicit ids first, so a fallback never takes one."""
        explicit = {
            raw["operationId"]
            for _, _, raw in operations
            if isinstance(raw, dict) and isinstance(raw.get("operationId"), str)
        }
        python_names = names.Namespace(style="snake")
        ids: list[tuple[str, str, str, bool]] = []
        for path, method, raw in operations:
            op_id = raw.get("operationId") if isinstance(raw, dict) else None
            has_id = isinstance(op_id, str) and op_id != ""
            if not has_id:
                op_id = names.fallback_operation_id(method, path)
                while op_id in explicit:
                    op_id += "_"
            ids.append((path, method, str(op_id), has_id))
        # Explicit ids claim their Python names before fallbacks do.
        for path, method, op_id, has_id in sorted(ids, key=lambda entry: not entry[3]):
            python_name = python_names.claim(
                names.identifier(op_id, fallback="operation", reserved=names.VIEWSET_RESERVED)
            )
            self._ids[(path, method)] = (op_id, python_name, has_id)

    # -- operations ------------------------------------------------------

    def operation(
        self, path: str, method: str, file: SpecFile, item: dict[str, Any], item_pointer: str
    ) -> Operation | None:
        pointer = jp.child(item_pointer, method)
        raw = item[method]
        if not isinstance(raw, dict):
            self.error("SF202", "an operation must be an object", file, pointer)
            return None
        operation_id, python_name, explicit = self._ids[(path, method)]
        hint = names.class_name(operation_id, fallback="Operation")
        tags = (
            tuple(str(t) for t in raw.get("tags", ()) if isinstance(t, str))
            if isinstance(raw.get("tags"), list)
            else ()
        )
        security = self.root_security
        if isinstance(raw.get("security"), list):
            security = security_requirements(raw["security"]) or ()
        return Operation(
            operation_id=operation_id,
            python_name=python_name,
            method=method,
            path=path,
            group=tags[0] if tags else _first_segment(path),
            parameters=self._parameters(
                file, ((item, item_pointer), (raw, pointer)), hint, split_key(path)
            ),
            request_body=self._request_body(raw, file, pointer, hint),
            responses=self._responses(raw, file, pointer, hint),
            security=security,
            tags=tags,
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
            deprecated=raw.get("deprecated") is True,
            has_explicit_operation_id=explicit,
            extensions=tuple((k, v) for k, v in raw.items() if k.startswith("x-")),
            source=self.loaded.lazy_locate(file, pointer),
        )

    def _parameters(
        self,
        file: SpecFile,
        owners: tuple[tuple[dict[str, Any], str], ...],
        hint: str,
        key: PathKey,
    ) -> tuple[Parameter, ...]:
        """Path-item parameters, then the operation's (which override by
        name and location); each where ``key`` says it is read from
        (:meth:`PathKey.location_of`)."""
        merged: dict[tuple[str, str], Parameter] = {}
        python_names = names.Namespace(style="snake", reserved=names.PARAMETER_RESERVED)
        for owner, owner_pointer in owners:
            entries = owner.get("parameters")
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                resolved = self.deref(entry, file, jp.child(owner_pointer, "parameters", index))
                if resolved is None:
                    continue
                shared = resolved[:2] != (file, jp.child(owner_pointer, "parameters", index))
                parameter = self._parameter(*resolved, hint, key, shared=shared)
                if parameter is not None:
                    merged[(parameter.name, parameter.location.value)] = parameter
        result = []
        for parameter in merged.values():
            python_name = python_names.claim(
                names.identifier(
                    parameter.name, fallback="param", reserved=names.PARAMETER_RESERVED
                )
            )
            result.append(dataclasses.replace(parameter, python_name=python_name))
        return tuple(result)

    def _parameter(
        self, file: SpecFile, pointer: str, raw: Any, hint: str, key: PathKey, *, shared: bool
    ) -> Parameter | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            self.error("SF202", "a parameter must be an object with a 'name'", file, pointer)
            return None
        try:
            location = ParameterLocation(key.location_of(raw["name"], str(raw.get("in"))))
        except ValueError:
            self.error(
                "SF202",
                f"parameter 'in' must be path, query, header or cookie, not {raw.get('in')!r}",
                file,
                pointer,
            )
            return None
        name = raw["name"]
        schema_hint = self._hint(
            file, pointer, f"{hint}{names.pascal(name)}Param", "Param", shared=shared
        )
        schema, media_type = None, None
        if "schema" in raw:
            schema = self.schemas.node(
                raw["schema"], file, jp.child(pointer, "schema"), schema_hint
            )
        elif isinstance(raw.get("content"), dict) and raw["content"]:
            media_type, media = next(iter(raw["content"].items()))
            if isinstance(media, dict) and "schema" in media:
                schema = self.schemas.node(
                    media["schema"],
                    file,
                    jp.child(pointer, "content", media_type, "schema"),
                    schema_hint,
                )
        else:
            self.error(
                "SF203",
                f"parameter {name!r} has neither 'schema' nor 'content'; any value is accepted",
                file,
                pointer,
                warning=True,
            )
        declared_style, declared_explode = raw.get("style"), raw.get("explode")
        style = declared_style if isinstance(declared_style, str) else _DEFAULT_STYLE[location]
        explode = declared_explode if isinstance(declared_explode, bool) else style == "form"
        return Parameter(
            name=name,
            python_name=name,
            location=location,
            required=True if raw.get("in") == "path" else raw.get("required") is True,
            schema=schema,
            style=style,
            explode=explode,
            allow_reserved=raw.get("allowReserved") is True,
            allow_empty_value=raw.get("allowEmptyValue") is True,
            deprecated=raw.get("deprecated") is True,
            description=_text(raw.get("description")),
            content_media_type=media_type,
            examples=self._examples(raw, file, pointer),
            source=self.loaded.lazy_locate(file, pointer),
        )

    def _request_body(
        self, raw: dict[str, Any], file: SpecFile, pointer: str, hint: str
    ) -> RequestBody | None:
        if "requestBody" not in raw:
            return None
        resolved = self.deref(raw["requestBody"], file, jp.child(pointer, "requestBody"))
        if resolved is None:
            return None
        body_file, body_pointer, body = resolved
        if not isinstance(body, dict):
            self.error("SF202", "a request body must be an object", body_file, body_pointer)
            return None
        return RequestBody(
            required=body.get("required") is True,
            content=self._content(
                body,
                body_file,
                body_pointer,
                self._hint(
                    body_file,
                    body_pointer,
                    hint + "Request",
                    "Request",
                    shared=(body_file, body_pointer) != (file, jp.child(pointer, "requestBody")),
                ),
            ),
            description=_text(body.get("description")),
            source=self.loaded.lazy_locate(body_file, body_pointer),
        )

    def _content(
        self, owner: dict[str, Any], file: SpecFile, pointer: str, hint: str
    ) -> tuple[MediaType, ...]:
        content = owner.get("content")
        if not isinstance(content, dict):
            return ()
        hints: dict[str, str] = {}
        for index, media_type in enumerate(sorted(content, key=_json_first)):
            subtype = media_type.split(";")[0].split("/")[-1]
            hints[media_type] = hint if index == 0 else hint + names.pascal(subtype)
        result = []
        for media_type in sorted(content):
            media = content[media_type]
            media_pointer = jp.child(pointer, "content", media_type)
            if not isinstance(media, dict):
                media = {}
            schema: SchemaNode | None = None
            if "schema" in media:
                schema = self.schemas.node(
                    media["schema"], file, jp.child(media_pointer, "schema"), hints[media_type]
                )
            result.append(
                MediaType(
                    media_type=media_type,
                    schema=schema,
                    examples=self._examples(media, file, media_pointer),
                    encoding=_encodings(media.get("encoding")),
                )
            )
        return tuple(result)

    def _responses(
        self, raw: dict[str, Any], file: SpecFile, pointer: str, hint: str
    ) -> tuple[Response, ...]:
        responses = raw.get("responses")
        if not isinstance(responses, dict):
            return ()
        result = []
        for key, entry in responses.items():
            status = str(key).upper() if str(key).lower() != "default" else "default"
            if status.startswith("X-"):
                continue  # an extension, not a response
            resolved = self.deref(entry, file, jp.child(pointer, "responses", key))
            if resolved is None:
                continue
            response_file, response_pointer, response = resolved
            if not isinstance(response, dict):
                self.error("SF202", "a response must be an object", response_file, response_pointer)
                continue
            shared = (response_file, response_pointer) != (
                file,
                jp.child(pointer, "responses", key),
            )
            response_hint = self._hint(
                response_file,
                response_pointer,
                f"{hint}{names.pascal(status)}Response",
                "Response",
                shared=shared,
            )
            result.append(
                Response(
                    status=status,
                    description=_text(response.get("description")) or "",
                    content=self._content(response, response_file, response_pointer, response_hint),
                    headers=self._headers(
                        response, response_file, response_pointer, f"{hint}{names.pascal(status)}"
                    ),
                    links=_links(response.get("links"), self, response_file, response_pointer),
                    source=self.loaded.lazy_locate(response_file, response_pointer),
                )
            )
        result.sort(key=lambda response: response_sort_key(response.status))
        return tuple(result)

    def _headers(
        self, response: dict[str, Any], file: SpecFile, pointer: str, hint: str
    ) -> tuple[Header, ...]:
        headers = response.get("headers")
        if not isinstance(headers, dict):
            return ()
        result = []
        for name, entry in headers.items():
            if name.lower() == "content-type":
                continue  # OpenAPI: a Content-Type header definition is ignored
            resolved = self.deref(entry, file, jp.child(pointer, "headers", name))
            if resolved is None:
                continue
            header_file, header_pointer, header = resolved
            if not isinstance(header, dict):
                continue
            header_hint = self._hint(
                header_file,
                header_pointer,
                f"{hint}{names.pascal(name)}Header",
                "Header",
                shared=(header_file, header_pointer) != (file, jp.child(pointer, "headers", name)),
            )
            schema = None
            if "schema" in header:
                schema = self.schemas.node(
                    header["schema"], header_file, jp.child(header_pointer, "schema"), header_hint
                )
            elif isinstance(header.get("content"), dict) and header["content"]:
                media_type, media = next(iter(header["content"].items()))
                if isinstance(media, dict) and "schema" in media:
                    schema = self.schemas.node(
                        media["schema"],
                        header_file,
                        jp.child(header_pointer, "content", media_type, "schema"),
                        header_hint,
                    )
            result.append(
                Header(
                    name, header.get("required") is True, schema, _text(header.get("description"))
                )
            )
        return tuple(result)

    def _examples(self, owner: dict[str, Any], file: SpecFile, pointer: str) -> tuple[Example, ...]:
        result = []
        if "example" in owner:
            result.append(Example("default", owner["example"]))
        examples = owner.get("examples")
        if isinstance(examples, dict):
            for name, entry in examples.items():
                resolved = self.deref(entry, file, jp.child(pointer, "examples", name))
                if resolved is None or not isinstance(resolved[2], dict):
                    continue
                example = resolved[2]
                result.append(
                    Example(
                        name=str(name),
                        value=example.get("value", MISSING),
                        summary=_text(example.get("summary")),
                        external_value=_text(example.get("externalValue")),
                    )
                )
        return tuple(result)

    def _hint(
        self, file: SpecFile, pointer: str, fallback: str, suffix: str, *, shared: bool
    ) -> str:
        """Schemas of shared objects (components, or anything reached through
        a ``$ref``) are named after that object, so the name does not depend
        on which operation reaches it first; others after the operation.

        ``components/responses/NotFound`` → ``NotFoundResponse``;
        ``errors.yaml#/Problem`` → ``ProblemResponse``.
        """
        tokens = jp.split(pointer)
        if tokens[:1] == ["components"] and len(tokens) >= 3:
            return names.schema_hint_from_pointer(tokens, "")
        if shared:
            return names.pascal(tokens[-1] if tokens else PurePosixPath(file.display).stem) + suffix
        return fallback


def _first_segment(path: str) -> str:
    """The first literal path segment, for grouping.

    >>> _first_segment("/orders/{id}"), _first_segment("/{tenant}/users"), _first_segment("/")
    ('orders', 'users', 'default')
    """
    for segment in path.split("/"):
        if segment and "{" not in segment:
            return segment
    return "default"


def _encodings(raw: Any) -> tuple[Encoding, ...]:
    if not isinstance(raw, dict):
        return ()
    return tuple(
        Encoding(
            property_name=str(name),
            content_type=_text(value.get("contentType")),
            style=_text(value.get("style")),
            explode=value.get("explode") if isinstance(value.get("explode"), bool) else None,
        )
        for name, value in sorted(raw.items())
        if isinstance(value, dict)
    )


def _links(raw: Any, builder: OperationBuilder, file: SpecFile, pointer: str) -> tuple[Link, ...]:
    if not isinstance(raw, dict):
        return ()
    result = []
    for name, entry in raw.items():
        resolved = builder.deref(entry, file, jp.child(pointer, "links", name))
        if resolved is None or not isinstance(resolved[2], dict):
            continue
        link = resolved[2]
        parameters = link.get("parameters")
        result.append(
            Link(
                name=str(name),
                operation_id=_text(link.get("operationId")),
                operation_ref=_text(link.get("operationRef")),
                parameters=tuple(parameters.items()) if isinstance(parameters, dict) else (),
                request_body=link.get("requestBody", MISSING),
            )
        )
    return tuple(result)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
