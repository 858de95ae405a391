"""Optional request validation at the edge against the merged spec.

Off by default (``[tool.specfirst.gateway] validate_requests = true`` turns it
on): the services validate their own input, and validation costs time on
every request. When on, a request is checked before it is proxied: required
path/query/header parameters are present, their values (converted from text
by the schema's type) match their schemas, and a JSON request body matches
its schema. Any failure is a 400 ``invalid_request`` problem whose ``errors``
are entries of the problem profile (:mod:`codegen.core.problems.document`).

A schema the gateway cannot read in full (a ``$ref`` to a document that is
not part of the merged spec: the product never downloads one) does not turn a
request into a 500: that check is skipped, the service validates its own input,
and one warning per unresolvable reference names it.

Example: ``POST /items`` with body ``{"name": 3}`` against ``name: string`` →
``[{"pointer": "/name", "detail": "3 is not of type 'string'"}]``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.exceptions import Unresolvable

from codegen.core.limits import DEFAULT_LIMITS, json_depth_exceeded
from codegen.core.problems.document import body_error, request_error
from codegen.core.routing.keys import split_key
from codegen.core.spec.pointer import join, lookup, split, to_fragment
from codegen.core.spec.resources import registry_of

BASE_URI = "file:///openapi.json"  # hierarchical, so that relative $id values join onto it
_MAX_ERRORS = 10
log = logging.getLogger("specfirst.gateway")
_warned: set[str] = set()


@dataclass(frozen=True)
class ParamCheck:
    name: str
    location: str  # path | query | header
    required: bool
    validator: Draft202012Validator | None
    types: tuple[str, ...]


@dataclass(frozen=True)
class RequestValidator:
    params: tuple[ParamCheck, ...]
    body: Draft202012Validator | None
    body_required: bool

    def check(
        self,
        path_params: Mapping[str, str],
        query: bytes,
        headers: Mapping[str, str],
        body: bytes | None,
        content_type: str,
    ) -> list[dict[str, str]]:
        """The ``errors`` entries of the problem (empty when the request is valid)."""
        errors: list[dict[str, str]] = []
        parsed_query = parse_qs(query.decode("latin-1"), keep_blank_values=True)
        for param in self.params:
            if param.location == "path":
                raw: str | None = path_params.get(param.name)
            elif param.location == "query":
                values = parsed_query.get(param.name)
                raw = values[0] if values else None
            else:
                raw = headers.get(param.name.lower())
            if raw is None:
                if param.required:
                    errors.append(
                        request_error(param.location, [param.name], "This parameter is required.")
                    )
                continue
            if param.validator is not None:
                value = _convert(raw, param.types)
                errors.extend(
                    request_error(param.location, [param.name, *error.absolute_path], error.message)
                    for error in _schema_errors(param.validator, value)
                )
        errors.extend(self._body_errors(body, content_type))
        return errors[:_MAX_ERRORS]

    def _body_errors(self, body: bytes | None, content_type: str) -> list[dict[str, str]]:
        if not body:
            return [body_error([], "A request body is required.")] if self.body_required else []
        if self.body is None or "json" not in content_type:
            return []
        depth = DEFAULT_LIMITS.json_depth
        if json_depth_exceeded(body, depth):  # jsonschema would recurse as deep
            return [body_error([], f"The request body nests JSON deeper than {depth} levels.")]
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            return [body_error([], f"The request body is not valid JSON: {exc}")]
        return [
            body_error(list(error.absolute_path), error.message)
            for error in _schema_errors(self.body, value)
        ]


def _schema_errors(validator: Draft202012Validator, value: Any) -> list[ValidationError]:
    """The validation errors of ``value``; none when the schema cannot be read
    (see the module doc), with one warning per unresolvable reference."""
    try:
        return list(validator.iter_errors(value))
    except Unresolvable as exc:
        reason = str(exc)
        if reason not in _warned:
            _warned.add(reason)
            log.warning("edge validation skipped a check it cannot make: %s", reason)
        return []


def _convert(raw: str, types: tuple[str, ...]) -> Any:
    """Text → the first schema type it converts to: ``"5"`` with integer → 5."""
    for kind in types:
        try:
            if kind == "integer":
                return int(raw)
            if kind == "number":
                return float(raw)
        except ValueError:
            continue
        if kind == "boolean" and raw in ("true", "false"):
            return raw == "true"
    return raw


def _validator(registry: Registry[Any], pointer: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{BASE_URI}#{to_fragment(pointer)}"}, registry=registry)


def _resolve(document: dict[str, Any], value: Any) -> tuple[Any, str | None]:
    pointer = None
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ref = value["$ref"]
        if not ref.startswith("#"):
            break
        pointer = ref[1:]
        value = lookup(document, split(pointer))
    return value, pointer


def build_validator(document: dict[str, Any], template: str, method: str) -> RequestValidator:
    """Compile the checks of one merged operation."""
    # The registry the generated services validate with: $id at any depth,
    # anchors and $dynamicRef resolve as they do there.
    dialect = document.get("jsonSchemaDialect")
    registry = registry_of({BASE_URI: document}, dialect if isinstance(dialect, str) else None)
    base = ["paths", template, method]
    operation = document["paths"][template][method]
    params: list[ParamCheck] = []
    key = split_key(template)
    for index, raw in enumerate(operation.get("parameters") or []):
        param, where = _resolve(document, raw)
        if not isinstance(param, dict) or param.get("in") not in ("path", "query", "header"):
            continue
        pointer = (where or join([*base, "parameters", str(index)])) + "/schema"
        schema = param.get("schema")
        types = schema.get("type", ()) if isinstance(schema, dict) else ()
        params.append(
            ParamCheck(
                name=str(param["name"]),
                location=key.location_of(str(param["name"]), str(param["in"])),
                required=bool(param.get("required")) or param["in"] == "path",
                validator=_validator(registry, pointer) if isinstance(schema, dict) else None,
                types=(types,) if isinstance(types, str) else tuple(types),
            )
        )
    body_validator = None
    body, where = _resolve(document, operation.get("requestBody"))
    body_required = isinstance(body, dict) and bool(body.get("required"))
    if isinstance(body, dict):
        body_pointer = where or join([*base, "requestBody"])
        for media, content in (body.get("content") or {}).items():
            if "json" in media and isinstance(content, dict) and "schema" in content:
                body_validator = _validator(
                    registry, f"{body_pointer}{join(['content', media, 'schema'])}"
                )
                break
    return RequestValidator(tuple(params), body_validator, body_required)
