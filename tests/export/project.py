"""A small multi-service project for export tests: specs plus specfirst.toml.

Four services exercise what the nginx export must get right:

* ``a``: ``/items`` (GET, POST), ``/items/{id}`` (integer; GET, DELETE, and a
  PUT with its own timeout), ``/things/{thingId}`` (integer), ``/files/{a}``
  (string), ``/kinds/{kind}`` (enum with a regex metacharacter), ``/slow/{n}``
  (GET 300 ms, POST 5 s timeouts);
* ``b``: ``/items/search`` (a literal beside a template of ``a``),
  ``/things/{name}`` (string, after ``a``'s integer), ``/files/{name}.{ext}``
  (partial segment, before ``a``'s plain string), and ``PATCH /items/{id}``
  (a second service on one template);
* ``c``: mounted under the prefix ``/legacy`` on an upstream with base path ``/base``;
* ``down``: an upstream where nothing listens.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

OK = {"200": {"description": "ok"}}


def _op(operation_id: str, timeout: str | None = None, **extra: Any) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": operation_id, "responses": OK, **extra}
    if timeout is not None:
        op["x-specfirst-timeout"] = timeout
    return op


def _param(name: str, schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": schema}]


INTEGER = {"type": "integer"}
STRING = {"type": "string"}

SPECS: dict[str, dict[str, Any]] = {
    "a": {
        "/items": {"get": _op("listItems"), "post": _op("createItem")},
        "/items/{id}": {
            "parameters": _param("id", INTEGER),
            "get": _op("getItem"),
            "delete": _op("deleteItem"),
            "put": _op("replaceItem", "2s"),
        },
        # Parameter names chosen so that alphabetical order would be the wrong order.
        "/things/{thingId}": {"parameters": _param("thingId", INTEGER), "get": _op("getThingById")},
        "/files/{a}": {"parameters": _param("a", STRING), "get": _op("getFileByStem")},
        "/kinds/{kind}": {
            "parameters": _param("kind", {"type": "string", "enum": ["a.b", "c"]}),
            "get": _op("getKind"),
        },
        "/slow/{n}": {
            "parameters": _param("n", STRING),
            "get": _op("slowGet", "300ms"),
            "post": _op("slowPost", "5s"),
        },
    },
    "b": {
        "/items/search": {"get": _op("searchItems")},
        "/items/{id}": {"parameters": _param("id", INTEGER), "patch": _op("patchItem")},
        "/things/{name}": {"parameters": _param("name", STRING), "get": _op("getThingByName")},
        "/files/{name}.{ext}": {
            "parameters": _param("name", STRING) + _param("ext", STRING),
            "get": _op("getFileWithExt"),
        },
    },
    "c": {"/ping": {"get": _op("ping")}},
    "down": {"/down": {"get": _op("down")}},
}


def write_project(
    root: Path, upstreams: Mapping[str, str], prefixes: Mapping[str, str], body_limit: int
) -> Path:
    """Write specs/*.json and specfirst.toml under ``root``; return ``root``."""
    specs = root / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    for name, paths in SPECS.items():
        document = {
            "openapi": "3.1.0",
            "info": {"title": name, "version": "1.0.0"},
            "paths": paths,
        }
        (specs / f"{name}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    lines = ["[gateway]", f"body_limit = {body_limit}", "timeout = 30", ""]
    for name, url in upstreams.items():
        lines += [f"[services.{name}]", f'upstream = "{url}"']
        if name in prefixes:
            lines.append(f'prefix = "{prefixes[name]}"')
        lines.append("")
    (root / "specfirst.toml").write_text("\n".join(lines), encoding="utf-8")
    return root
