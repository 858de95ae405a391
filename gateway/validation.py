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
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

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
from codegen.core.strictness import DEFAULT_POLICY, QueryParameter, QueryPolicy, query_violations

BASE_URI = "file:///openapi.json"  # hierarchical, so that relative $id values join onto it
_MAX_ERRORS = 10
log = logging.getLogger("specfirst.gateway")
_warned: set[str] = set()


_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


@dataclass(frozen=True)
class ParamCheck:
    name: str
    location: str  # path | query | header
    required: bool
    validator: Draft202012Validator | None
    types: tuple[str, ...]
    style: str = "form"  # of a query parameter: how its text becomes a JSON value
    explode: bool = True
    item_types: tuple[str, ...] = ()  # of an array's items
    member_types: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # deepObject

    def query_value(self, pairs: list[tuple[str, str]]) -> Any:
        """The JSON value of a query parameter (``None`` when absent), read as the
        services read it (:mod:`servicekit.contract.params`): ``ids=1&ids=2`` -> ``[1, 2]``
        for an exploded array, ``tags=a,b`` -> ``["a", "b"]`` for one that is not,
        ``filter[color]=red`` -> ``{"color": "red"}`` for a deepObject; the last value
        of a repeated single-valued key."""
        if self.style == "deepObject":
            prefix = f"{self.name}["
            members: dict[str, Any] = {}
            for key, value in pairs:
                if key.startswith(prefix) and key.endswith("]"):
                    member = key[len(prefix) : -1]
                    members[member] = _convert(value, self.member_types.get(member, ()))
            return members or None
        values = [value for key, value in pairs if key == self.name]
        if not values:
            return None
        if "array" not in self.types:
            return _convert(values[-1], self.types)
        if not (self.style == "form" and self.explode):
            text = values[-1]
            values = text.split(_DELIMITERS.get(self.style, ",")) if text else []
        return [_convert(value, self.item_types) for value in values]


@dataclass(frozen=True)
class RequestValidator:
    params: tuple[ParamCheck, ...]
    body: Draft202012Validator | None
    body_required: bool
    query: tuple[QueryParameter, ...] = ()  # what the strictness rule reads
    selectors: tuple[str, ...] = ()  # query names of the path key's suffix
    policy: QueryPolicy = DEFAULT_POLICY

    def check(
        self,
        path_params: Mapping[str, str],
        query: bytes,
        headers: Mapping[str, str],
        body: bytes | None,
        content_type: str,
    ) -> list[dict[str, str]]:
        """The ``errors`` entries of the problem (empty when the request is valid)."""
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        errors = [
            request_error("query", [violation.parameter], violation.detail)
            for violation in query_violations(
                (key for key, _ in pairs), self.query, self.policy, self.selectors
            )
        ]
        for param in self.params:
            if param.location == "query":
                value = param.query_value(pairs)
            elif param.location == "path":
                value = _text_value(path_params.get(param.name), param.types)
            else:
                value = _text_value(headers.get(param.name.lower()), param.types)
            if value is None:
                if param.required:
                    errors.append(
                        request_error(param.location, [param.name], "This parameter is required.")
                    )
                continue
            if param.validator is not None:
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


def _text_value(raw: str | None, types: tuple[str, ...]) -> Any:
    """A path or header parameter's value (``None`` when absent)."""
    return None if raw is None else _convert(raw, types)


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


def _types(document: dict[str, Any], schema: Any) -> tuple[str, ...]:
    """The ``type`` of a schema (through local references) as a tuple."""
    resolved, _ = _resolve(document, schema)
    kinds = resolved.get("type", ()) if isinstance(resolved, dict) else ()
    return (kinds,) if isinstance(kinds, str) else tuple(str(kind) for kind in kinds)


def _query_parameter(document: dict[str, Any], param: Mapping[str, Any]) -> QueryParameter:
    """The strictness rule's view of a query parameter (OpenAPI's defaults: form, exploded)."""
    schema, _ = _resolve(document, param.get("schema"))
    style = str(param.get("style", "form"))
    if not isinstance(schema, dict) or "content" in param:
        return QueryParameter(str(param["name"]))
    properties = schema.get("properties")
    return QueryParameter.of(
        str(param["name"]),
        style=style,
        explode=bool(param.get("explode", style == "form")),
        kinds=_types(document, schema),
        members=properties if isinstance(properties, dict) else (),
    )


def build_validator(
    document: dict[str, Any], template: str, method: str, policy: QueryPolicy = DEFAULT_POLICY
) -> RequestValidator:
    """Compile the checks of one merged operation; ``policy`` decides undeclared and
    repeated query keys (:mod:`codegen.core.strictness`)."""
    # The registry the generated services validate with: $id at any depth,
    # anchors and $dynamicRef resolve as they do there.
    dialect = document.get("jsonSchemaDialect")
    registry = registry_of({BASE_URI: document}, dialect if isinstance(dialect, str) else None)
    base = ["paths", template, method]
    operation = document["paths"][template][method]
    params: list[ParamCheck] = []
    query: list[QueryParameter] = []
    key = split_key(template)
    for index, raw in enumerate(operation.get("parameters") or []):
        param, where = _resolve(document, raw)
        if not isinstance(param, dict) or param.get("in") not in ("path", "query", "header"):
            continue
        if key.location_of(str(param["name"]), str(param["in"])) == "query":
            query.append(_query_parameter(document, param))
        pointer = (where or join([*base, "parameters", str(index)])) + "/schema"
        schema = param.get("schema")
        resolved, _ = _resolve(document, schema)
        style = str(param.get("style", "form"))
        properties = resolved.get("properties") if isinstance(resolved, dict) else None
        params.append(
            ParamCheck(
                name=str(param["name"]),
                location=key.location_of(str(param["name"]), str(param["in"])),
                required=bool(param.get("required")) or param["in"] == "path",
                validator=_validator(registry, pointer) if isinstance(schema, dict) else None,
                types=_types(document, schema),
                style=style,
                explode=bool(param.get("explode", style == "form")),
                item_types=_types(document, resolved.get("items"))
                if isinstance(resolved, dict)
                else (),
                member_types={
                    str(name): _types(document, member) for name, member in properties.items()
                }
                if isinstance(properties, dict)
                else {},
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
    selectors = tuple(name for name, _ in key.suffix)
    return RequestValidator(
        tuple(params), body_validator, body_required, tuple(query), selectors, policy
    )
