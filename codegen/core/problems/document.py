"""Problem documents of the profile, and the entries of their ``errors`` list.

One function builds every problem body the gateway and the services send, so the
members, their order and the rules (a catalogued ``code``; ``type`` and ``title``
from the catalogue) are the same everywhere. Each ``errors`` entry locates one
invalid part of the request:

* ``{"pointer": "/items/0/sku", "detail": ...}``: an RFC 6901 pointer into the
  request body (``""`` is the whole body);
* ``{"parameter": "limit", "in": "query", "detail": ...}``: a path, query or cookie
  parameter, with a ``pointer`` into its value when the error is inside it;
* ``{"header": "If-Match", "detail": ...}``: a request header.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from codegen.core.problems.catalog import CATALOG
from codegen.core.spec.pointer import join

PARAMETER_LOCATIONS = ("path", "query", "cookie")


def problem(
    code: str,
    detail: str,
    *,
    status: int | None = None,
    title: str | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    errors: Iterable[Mapping[str, Any]] | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    """The problem document of ``code``; ``status`` and ``title`` default to the
    catalogue's. Extension members (``missing``) follow the standard ones.

    Raises ``KeyError`` for a code the catalogue does not list: a new code is
    documented before it is sent.
    """
    kind = CATALOG.get(code)
    if kind is None:
        raise KeyError(f"problem code {code!r} is not in codegen.core.problems.catalog")
    body: dict[str, Any] = {
        "type": kind.type,
        "title": title or kind.title,
        "status": status if status is not None else kind.status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    body["code"] = code
    if request_id is not None:
        body["request_id"] = request_id
    if errors is not None:
        body["errors"] = [dict(entry) for entry in errors]
    body.update(extensions)
    return body


def body_error(tokens: Sequence[str | int], detail: str) -> dict[str, str]:
    """``body_error(["items", 0, "sku"], "Required.")`` ->
    ``{"pointer": "/items/0/sku", "detail": "Required."}``."""
    return {"pointer": join(tokens), "detail": detail}


def parameter_error(
    name: str, location: str, detail: str, tokens: Sequence[str | int] = ()
) -> dict[str, str]:
    """``parameter_error("limit", "query", "Must be an integer.")`` ->
    ``{"parameter": "limit", "in": "query", "detail": "Must be an integer."}``."""
    if location not in PARAMETER_LOCATIONS:
        raise ValueError(f"{location!r} is not a parameter location; use header_error")
    entry = {"parameter": name, "in": location}
    if tokens:
        entry["pointer"] = join(tokens)
    entry["detail"] = detail
    return entry


def header_error(name: str, detail: str, tokens: Sequence[str | int] = ()) -> dict[str, str]:
    """``header_error("If-Match", "This header is required.")`` ->
    ``{"header": "If-Match", "detail": "This header is required."}``."""
    entry = {"header": name}
    if tokens:
        entry["pointer"] = join(tokens)
    entry["detail"] = detail
    return entry


def request_error(location: str, tokens: Sequence[str | int], detail: str) -> dict[str, str]:
    """The entry for an error at ``tokens`` in one part of the request:
    ``("body", ["a"])``, ``("query", ["limit"])``, ``("header", ["If-Match"])``.

    The first token of a parameter or header location is its name; the rest point
    into its value.
    """
    if location == "body":
        return body_error(tokens, detail)
    if not tokens:
        raise ValueError(f"an error in the {location} needs the parameter's name")
    name, rest = str(tokens[0]), tokens[1:]
    if location == "header":
        return header_error(name, detail, rest)
    return parameter_error(name, location, detail, rest)
