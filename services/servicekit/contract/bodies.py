"""Request bodies: choosing the declared media type and parsing the payload.

The request's ``Content-Type`` picks the declared media type (exact match,
then ``type/*``, then ``*/*``); an undeclared one answers 415. JSON is parsed
strictly (numbers with a fraction become ``Decimal`` so ``multipleOf`` is
exact; ``NaN``/``Infinity`` are refused); form and multipart bodies become
objects whose member types come from the schema; ``text/*`` becomes a
string; any other media type is passed through as ``bytes``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from rest_framework.fields import empty

from codegen.core.limits import DEFAULT_LIMITS, json_depth_exceeded
from servicekit.contract.drf_types import Field
from servicekit.contract.shapes import coerce_members, delimiter, expects, member_fields
from servicekit.contract.surrogates import lone_surrogate

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True, slots=True)
class PartEncoding:
    """OpenAPI ``encoding`` of one form/multipart property."""

    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None


@dataclass(frozen=True, slots=True)
class BodyMedia:
    media_type: str
    field: Field | None
    schema: Mapping[str, Any] | None = None  # JSON Schema, for the published spec
    encoding: Mapping[str, PartEncoding] = dataclasses.field(default_factory=dict)
    # Builds the validated value into its typed body (servicekit.contract.records).
    build: Callable[[Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class Body:
    required: bool
    content: tuple[BodyMedia, ...]


class UnsupportedMediaType(Exception):
    def __init__(self, received: str, declared: tuple[str, ...]) -> None:
        super().__init__(received)
        self.received = received
        self.declared = declared


class MalformedBody(Exception):
    """The body cannot be parsed as its declared media type (answered as a 400 problem)."""


def is_json(media_type: str) -> bool:
    """``application/json``, ``application/merge-patch+json``, ``*/*`` (assumed JSON)."""
    subtype = media_type.partition("/")[2]
    return subtype == "json" or subtype.endswith("+json") or media_type == "*/*"


def choose_media(body: Body, content_type: str) -> BodyMedia:
    """``application/json; charset=utf-8`` -> the ``application/json`` entry."""
    received = content_type.partition(";")[0].strip().lower()
    declared = {m.media_type.lower(): m for m in body.content}
    if received in declared:
        return declared[received]
    family = received.partition("/")[0] + "/*"
    for key in (family, "*/*"):
        if key in declared:
            return declared[key]
    raise UnsupportedMediaType(received or "(none)", tuple(m.media_type for m in body.content))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes) -> Any:
    """The JSON value of ``raw``; :class:`MalformedBody` for invalid JSON, a lone
    surrogate, or nesting deeper than the shared limit (Python's decoder would
    recurse into ``RecursionError``: see :mod:`codegen.core.limits`)."""
    depth = DEFAULT_LIMITS.json_depth
    if json_depth_exceeded(raw, depth):
        raise MalformedBody(f"The body nests JSON arrays and objects deeper than {depth} levels.")
    bad = lone_surrogate(raw)
    if bad is not None:  # json.loads accepts it; no database could store it
        raise MalformedBody(
            f"The body is not valid JSON text: it escapes a lone UTF-16 surrogate (\\{bad})."
        )
    try:
        return json.loads(raw, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedBody(f"The body is not valid JSON: {exc}.") from None


def _form_pairs(
    request: HttpRequest,
    media: BodyMedia,
) -> list[tuple[str, str]]:
    """``(property, text)`` pairs of a form, with ``encoding`` applied: arrays
    not exploded are split on their style's delimiter, ``deepObject`` keys
    ``a[b]`` stay whole (their member parsing is the object's)."""
    pairs: list[tuple[str, str]] = []
    for key in request.POST:
        part = media.encoding.get(key, PartEncoding())
        style = part.style or "form"
        explode = part.explode if part.explode is not None else style == "form"
        member = member_fields(media.field).get(key) if media.field is not None else None
        for value in request.POST.getlist(key):
            if member is not None and expects(member, "array") and not explode:
                pairs.extend((key, item) for item in value.split(delimiter(style)))
            else:
                pairs.append((key, value))
    return pairs


def _json_parts(media: BodyMedia) -> set[str]:
    """Multipart properties sent as JSON: declared so, or objects (the default)."""
    members = member_fields(media.field) if media.field is not None else {}
    names = {
        name
        for name, part in media.encoding.items()
        if part.content_type and is_json(part.content_type.lower())
    }
    if media.media_type.lower() == "multipart/form-data":
        names |= {
            name
            for name, member in members.items()
            if expects(member, "object") and name not in media.encoding
        }
    return names


def parse_form(request: HttpRequest, media: BodyMedia) -> Any:
    """Form/multipart parts -> an object, typed by the body schema's members.

    Files stay uploaded-file objects (accepted by ``format: binary``); parts
    whose content type is JSON are parsed as JSON.
    """
    field = media.field
    json_parts = _json_parts(media)
    pairs = _form_pairs(request, media)
    plain = [(k, v) for k, v in pairs if k not in json_parts]
    data: dict[str, Any] = coerce_members(plain, field) if field is not None else dict(plain)
    for key, text in pairs:
        if key in json_parts:
            try:
                data[key] = parse_json(text.encode())
            except MalformedBody:
                raise MalformedBody(f"Part {key!r} is not valid JSON.") from None
    for key in request.FILES:
        files = request.FILES.getlist(key)
        as_list = field is not None and _member_is_array(field, key)
        data[key] = files if as_list else files[-1]
    return data


def _member_is_array(field: Field, key: str) -> bool:
    member = member_fields(field).get(key)
    return member is not None and expects(member, "array")


def read_body(request: HttpRequest, media: BodyMedia) -> Any:
    """The JSON-ish value of the request body for ``media``; ``empty`` if none."""
    kind = media.media_type.lower()
    if kind in FORM_TYPES:
        return parse_form(request, media)
    raw = request.body
    if not raw:
        return empty
    if is_json(kind):
        return parse_json(raw)
    if kind.startswith("text/"):
        try:
            return raw.decode(request.encoding or "utf-8")
        except UnicodeDecodeError:
            raise MalformedBody("The body is not valid text in its charset.") from None
    return raw
