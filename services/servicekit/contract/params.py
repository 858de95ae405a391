"""Parsing path, query, header and cookie parameters into typed arguments.

Each :class:`Param` knows its OpenAPI ``style`` and ``explode``; parsing
turns the raw text into the JSON value the schema describes, and the strict
field validates it. Every invalid parameter is reported, each under its own
pointer (``#/query/limit``, ``#/path/id``, ``#/header/X-Trace``).

Styles (OpenAPI 3.x "Style Values"), e.g. for ``ids = [3, 4]``:

==================  =========================  =========================
style               explode false              explode true
==================  =========================  =========================
simple (path)       ``3,4``                    ``3,4``
label               ``.3,4``                   ``.3.4``
matrix              ``;ids=3,4``               ``;ids=3;ids=4``
form (query)        ``ids=3,4``                ``ids=3&ids=4``
spaceDelimited      ``ids=3%204``              (as form)
pipeDelimited       ``ids=3|4``                (as form)
deepObject          --                         ``ids[a]=3&ids[b]=4``
==================  =========================  =========================
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty

from codegen.core.routing.keys import split_key
from codegen.core.strictness import QueryParameter, QueryPolicy, query_violations
from servicekit.contract.drf_types import Field
from servicekit.contract.errors import ErrorTree
from servicekit.contract.shapes import (
    coerce_items,
    coerce_members,
    coerce_scalar,
    delimiter,
    expects,
    member_fields,
)


@dataclass(frozen=True, slots=True)
class Param:
    """One declared parameter of an operation."""

    name: str
    python_name: str
    location: str  # path | query | header | cookie
    field: Field
    required: bool = False
    style: str = "form"
    explode: bool = True
    allow_empty_value: bool = False
    content_media_type: str | None = None  # `content` instead of `schema`
    schema: Mapping[str, Any] | None = None  # JSON Schema, for the published spec

    @property
    def pointer(self) -> str:
        token = self.name.replace("~", "~0").replace("/", "~1")
        return f"#/{self.location}/{token}"


def _pairs(text: str, sep: str) -> list[tuple[str, str]]:
    """``"a,1,b,2"`` -> ``[("a", "1"), ("b", "2")]`` (non-exploded objects)."""
    parts = text.split(sep)
    return list(zip(parts[0::2], parts[1::2], strict=False))


def _assignments(parts: list[str]) -> list[tuple[str, str]]:
    """``["a=1", "b=2"]`` -> ``[("a", "1"), ("b", "2")]`` (exploded objects)."""
    return [(key, value) for key, _, value in (part.partition("=") for part in parts)]


def parse_delimited(text: str, param: Param, sep: str) -> Any:
    """A path/header value or one non-exploded query value -> JSON."""
    field = param.field
    if expects(field, "array"):
        return coerce_items(text.split(sep) if text else [], field)
    if expects(field, "object"):
        pairs = _assignments(text.split(sep)) if param.explode else _pairs(text, sep)
        return coerce_members(pairs, field)
    return coerce_scalar(text, field)


def parse_path(text: str, param: Param) -> Any:
    """``label``: ``.3.4``; ``matrix``: ``;ids=3;ids=4``; ``simple``: ``3,4``."""
    if param.style == "label" and text.startswith("."):
        body = text[1:]
        return parse_delimited(body, param, "." if param.explode else ",")
    if param.style == "matrix" and text.startswith(";"):
        parts = text[1:].split(";")
        if expects(param.field, "object") and param.explode:
            return coerce_members(_assignments(parts), param.field)
        values = [value for key, _, value in (p.partition("=") for p in parts) if key == param.name]
        if expects(param.field, "array") and param.explode:
            return coerce_items(values, param.field)
        return parse_delimited(values[0] if values else "", param, ",")
    return parse_delimited(text, param, ",")


_DEEP = re.compile(r"^(?P<name>[^\[]+)\[(?P<key>[^\]]*)\]$")


def _object_pairs(
    query: QueryDict, param: Param, others: frozenset[str]
) -> list[tuple[str, str]] | None:
    """Members of an object parameter spread over the query (deepObject, or
    form with explode); ``None`` when the parameter is not such an object."""
    if param.style == "deepObject":
        return [
            (m.group("key"), value)
            for key in query
            if (m := _DEEP.match(key)) and m.group("name") == param.name
            for value in query.getlist(key)
        ]
    if param.explode and param.style == "form" and expects(param.field, "object"):
        declared = set(member_fields(param.field))
        # A free-form object takes every query key no other parameter claims.
        members = declared & set(query) if declared else set(query) - others
        return [(k, v) for k in sorted(members) for v in query.getlist(k)]
    return None


def parse_query(query: QueryDict, param: Param, others: frozenset[str] = frozenset()) -> Any:
    """The raw JSON value of a query parameter, or ``empty`` when absent.

    ``others``: names of the operation's other query parameters.
    """
    field = param.field
    pairs = _object_pairs(query, param, others)
    if pairs is not None:
        return coerce_members(pairs, field) if pairs else empty
    values = query.getlist(param.name)
    if not values or (param.allow_empty_value and values == [""]):
        return empty
    if not expects(field, "array"):
        return parse_delimited(values[-1], param, ",")
    if param.explode and param.style == "form":
        return coerce_items(values, field)
    return parse_delimited(values[-1], param, delimiter(param.style))


def _content(text: str, param: Param) -> Any:
    if param.content_media_type and "json" in param.content_media_type:
        try:
            return json.loads(text, parse_float=Decimal)
        except ValueError:
            raise ValidationError([f"Must be {param.content_media_type} text."]) from None
    return text


def raw_value(
    request: HttpRequest,
    path_kwargs: Mapping[str, str],
    param: Param,
    others: frozenset[str] = frozenset(),
) -> Any:
    """The parameter's JSON value before validation, ``empty`` if absent."""
    if param.location == "path":
        text = path_kwargs.get(param.name, path_kwargs.get(param.python_name))
    elif param.location == "header":
        text = request.headers.get(param.name)
    elif param.location == "cookie":
        text = request.COOKIES.get(param.name)
    elif param.content_media_type:
        text = request.GET.get(param.name)
    else:
        return parse_query(request.GET, param, others)
    if text is None:
        return empty
    if param.content_media_type:
        return _content(text, param)
    if param.location == "path":
        return parse_path(text, param)
    return parse_delimited(text, param, ",")


def declared_query(params: tuple[Param, ...]) -> tuple[QueryParameter, ...]:
    """The query parameters of ``params`` as :func:`codegen.core.strictness.query_violations`
    reads them (which keys each claims, which may repeat)."""
    return tuple(
        QueryParameter.of(
            param.name,
            style=param.style,
            explode=param.explode,
            kinds=()
            if param.content_media_type
            else [kind for kind in ("array", "object") if expects(param.field, kind)],
            members=member_fields(param.field),
        )
        for param in params
        if param.location == "query"
    )


def check_query(
    request: HttpRequest,
    path: str,
    params: tuple[Param, ...],
    policy: QueryPolicy,
    errors: ErrorTree,
) -> None:
    """Add an error for each query key the project's policy refuses (undeclared, or a
    single-valued parameter given twice); ``path`` is the operation's path key, whose
    suffix (``?action=archive``) names parameters too."""
    keys = [key for key, values in request.GET.lists() for _ in values]
    if not keys:
        return
    selectors = (name for name, _ in split_key(path).suffix)
    for violation in query_violations(keys, declared_query(params), policy, selectors):
        errors.add(("query", violation.parameter), violation.detail)


def parse_params(
    request: HttpRequest,
    path_kwargs: Mapping[str, str],
    params: tuple[Param, ...],
    errors: ErrorTree,
) -> dict[str, Any]:
    """Validate every parameter; returns ``{python_name: value}``.

    Absent optional parameters get their schema default, else ``None``.
    """
    values: dict[str, Any] = {}
    query_names = frozenset(p.name for p in params if p.location == "query")
    for param in params:
        path = (param.location, param.name)
        try:
            raw = raw_value(request, path_kwargs, param, query_names - {param.name})
            if raw is empty and param.required:
                errors.add(path, "This parameter is required.")
                continue
            values[param.python_name] = param.field.run_validation(raw)
        except SkipField:
            values[param.python_name] = None
        except ValidationError as exc:
            errors.merge(exc.detail, path)
    return values
