"""Recognise paginated list operations and how to walk their pages.

Three shapes are recognised on a GET whose success response is an object
with an array property holding the items (``items``, ``data``, ``results``,
... or the object's only array property):

* **offset**: an ``offset`` (or ``skip``) query parameter; the next page
  starts after the items received; a ``total`` property (if any) ends it;
* **page**: a ``page`` query parameter, counted up from its first value;
  a ``total_pages``/``pages`` property (if any) ends it;
* **cursor**: a ``cursor``/``after``/``page_token``/... query parameter and a
  response property with the next cursor (``next_cursor``, ``next``, ...);
  a missing or empty cursor ends it.

Any shape also ends on an empty page. Example: ``GET /products?limit&offset``
answering ``{items: [...], total: 7}`` -> ``Pagination(kind="offset",
param="offset", items_attr="items", total_attr="total", ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.core.ir.model import Api, Operation, ParameterLocation, Schema, SchemaRef
from codegen.generator.sdk.models import ModelNames
from codegen.generator.sdk.types import type_expr

ITEM_PROPERTIES = ("items", "data", "results", "records", "entries", "values", "content")
OFFSET_PARAMS = ("offset", "skip")
PAGE_PARAMS = ("page", "page_number", "pageNumber")
CURSOR_PARAMS = (
    "cursor",
    "after",
    "page_token",
    "pageToken",
    "starting_after",
    "next_token",
    "continuation_token",
)
NEXT_CURSOR_PROPERTIES = (
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "next",
    "cursor",
)
TOTAL_PROPERTIES = ("total", "total_count", "totalCount", "count")
TOTAL_PAGES_PROPERTIES = ("total_pages", "totalPages", "pages", "page_count", "pageCount")


@dataclass(frozen=True, slots=True)
class Pagination:
    kind: str  # "offset" | "page" | "cursor"
    param: str  # Python name of the query parameter that advances
    items_attr: str  # attribute of the page model holding the items
    item_type: str  # Python type of one item
    page_type: str  # Python type of one page
    total_attr: str | None = None  # offset: total items; page: total pages
    start: int = 0  # page: the first page number
    next_attr: str | None = None  # cursor: the next cursor


def detect(operation: Operation, page_type: str, api: Api, names: ModelNames) -> Pagination | None:
    """The pagination of ``operation`` (whose single success type is
    ``page_type``), or ``None`` when it is not a paginated list."""
    schema = _page_schema(operation, api) if operation.method == "get" else None
    model = page_type.removeprefix("models.")
    items = _items_property(schema, api) if schema is not None else None
    if schema is None or items is None or not page_type.startswith("models."):
        return None
    items_attr = names.attribute(model, items)
    if items_attr is None:
        return None
    properties = {p.name: p for p in schema.properties}
    query = {
        p.name: p.python_name for p in operation.parameters if p.location is ParameterLocation.QUERY
    }

    def attribute(candidates: tuple[str, ...]) -> str | None:
        found = next((c for c in candidates if c in properties), None)
        return names.attribute(model, found) if found else None

    item_type = type_expr(api.resolve(properties[items].schema).items, api, names, "response")
    shape = (items_attr, item_type, page_type)
    if param := _first(query, OFFSET_PARAMS):
        return Pagination("offset", param, *shape, total_attr=attribute(TOTAL_PROPERTIES))
    if param := _first(query, PAGE_PARAMS):
        total = attribute(TOTAL_PAGES_PROPERTIES)
        start = _first_page(operation, param)
        return Pagination("page", param, *shape, total_attr=total, start=start)
    param = _first(query, CURSOR_PARAMS)
    cursor = attribute(NEXT_CURSOR_PROPERTIES)
    if param and cursor:
        return Pagination("cursor", param, *shape, next_attr=cursor)
    return None


def _first(query: dict[str, str], candidates: tuple[str, ...]) -> str | None:
    return next((query[name] for name in candidates if name in query), None)


def _page_schema(operation: Operation, api: Api) -> Schema | None:
    successes = [r for r in operation.responses if r.is_success and r.content]
    if len(successes) != 1:
        return None
    media = next((m for m in successes[0].content if "json" in m.media_type), None)
    if media is None or not isinstance(media.schema, SchemaRef | Schema):
        return None
    schema = api.resolve(media.schema)
    return schema if "object" in schema.types or schema.properties else None


def _items_property(schema: Schema, api: Api) -> str | None:
    arrays = [p.name for p in schema.properties if "array" in api.resolve(p.schema).types]
    for name in ITEM_PROPERTIES:
        if name in arrays:
            return name
    return arrays[0] if len(arrays) == 1 else None


def _first_page(operation: Operation, python_name: str) -> int:
    """The first page number: the parameter's default, else its minimum, else 1."""
    param = next(p for p in operation.parameters if p.python_name == python_name)
    schema = param.schema
    if isinstance(schema, Schema):
        for value in (schema.default, schema.minimum):
            if isinstance(value, int) and not isinstance(value, bool):
                return value
    return 1
