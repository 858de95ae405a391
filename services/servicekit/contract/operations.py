"""Declarations of operations, and the :class:`Reply` a handler returns.

The generated ``operations.py`` declares one :class:`Operation` per spec
operation: its parameters, request body and responses, each with the fields
that validate or serialize them. The view runtime reads only these.

A handler answers ``Reply(201, order, headers={"Location": url})``; the
status picks the declared response (exact code, then range such as ``2XX``,
then ``default``) whose serializer writes the body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from servicekit.contract.bodies import Body, is_json
from servicekit.contract.drf_types import Field
from servicekit.contract.errors import ContractError
from servicekit.contract.params import Param

Status_co = TypeVar("Status_co", bound=int, covariant=True)
Body_co = TypeVar("Body_co", covariant=True)
# ``Reply(204)``: no body. Typed ``Any`` so that it is the default of every body type.
NO_BODY: Any = None


@dataclass(frozen=True)  # not slots: ``Reply[...](...)`` sets ``__orig_class__``
class Reply(Generic[Status_co, Body_co]):
    """What a handler returns: a status, the data, extra headers.

    ``data`` is anything the status's serializer can represent (dicts,
    objects with attributes, dataclasses, lists); ``content_type`` picks one
    of several declared media types (default: the first JSON one).

    ``Status_co`` is the set of statuses the operation declares and ``Body_co`` the
    bodies its responses declare: each generated stub returns its operation's alias,
    ``GetOrderReply = Reply[t.Literal[200, 404], replies.Order | models.Model |
    replies.Problem]``, so ``return Reply(418, ...)`` or ``return Reply(200,
    {"id": 1})`` in a handler is a mypy error. An operation with a range (``2XX``) or
    ``default`` response takes ``Reply[int, ...]``. ``Reply(204)`` leaves the body out
    (``None``; mypy infers the bottom type, which fits every alias).
    """

    status: Status_co
    data: Body_co = NO_BODY
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseMedia:
    media_type: str
    field: Field | None
    schema: Mapping[str, Any] | None = None  # JSON Schema, for the published spec


@dataclass(frozen=True, slots=True)
class ResponseHeader:
    """A header a response declares: checked when required, published with its schema."""

    name: str
    required: bool = False
    schema: Mapping[str, Any] | None = None  # JSON Schema, for the published spec
    description: str | None = None
    field: Field | None = None  # a component's Ref


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    status: str  # "200", "2XX", "default"
    description: str = ""
    content: tuple[ResponseMedia, ...] = ()
    headers: tuple[ResponseHeader, ...] = ()

    def media(self, content_type: str | None, accept: str = "") -> ResponseMedia | None:
        """The declared media for ``content_type``; else the first one the
        request's ``Accept`` header takes; else the first JSON one."""
        if not self.content:
            return None
        if content_type is not None:
            for media in self.content:
                if media.media_type == content_type:
                    return media
            raise ContractError(
                f"response {self.status} does not declare {content_type}; "
                f"declared: {', '.join(m.media_type for m in self.content)}"
            )
        for wanted in accepted(accept):
            for media in self.content:
                if media_matches(wanted, media.media_type.lower()):
                    return media
        return next((m for m in self.content if is_json(m.media_type)), self.content[0])


def accepted(accept: str) -> list[str]:
    """Media ranges of an ``Accept`` header, most preferred first (q=0 dropped).

    ``accepted("text/csv;q=0.5, application/json")`` -> ``["application/json", "text/csv"]``.
    """
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(accept.split(",")):
        kind, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if kind and quality > 0:
            ranked.append((-quality, index, kind.lower()))
    return [kind for _, _, kind in sorted(ranked)]


def media_matches(wanted: str, declared: str) -> bool:
    """``media_matches("text/*", "text/csv")`` -> True; ``*/*`` takes anything."""
    if wanted in ("*/*", declared):
        return True
    return wanted.endswith("/*") and declared.startswith(wanted[:-1])


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    python_name: str
    method: str
    path: str
    params: tuple[Param, ...] = ()
    body: Body | None = None
    responses: tuple[ResponseSpec, ...] = ()
    summary: str | None = None
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    security: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = ()
    source: str = ""

    @property
    def invalid_status(self) -> int:
        """400, or 422 where the operation declares 422 and not 400."""
        declared = {r.status for r in self.responses}
        return 422 if "422" in declared and "400" not in declared else 400

    def response_for(self, status: int) -> ResponseSpec:
        """Exact status, then its range (``4XX``), then ``default``."""
        by_status = {r.status: r for r in self.responses}
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in by_status:
                return by_status[key]
        declared = ", ".join(r.status for r in self.responses) or "none"
        raise ContractError(
            f"{self.operation_id} ({self.method.upper()} {self.path}) answered {status}, "
            f"which the spec does not declare (declared: {declared})"
        )

    def default_success(self) -> int:
        """The status for a handler that returns bare data: the only 2xx code."""
        codes = [r.status for r in self.responses if r.status.isdigit() and r.status[0] == "2"]
        if len(codes) != 1:
            raise ContractError(
                f"{self.operation_id} returned data without a status, but declares "
                f"{len(codes)} success codes; return Reply(status, data)"
            )
        return int(codes[0])
