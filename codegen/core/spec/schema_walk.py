"""Find every Schema Object in an OpenAPI document, with its pointer.

Checks that look at schemas (defaults, examples, patterns) need to know
which objects *are* schemas: those under ``components/schemas``, every
``schema`` of a parameter, header or media type, and every subschema of
those (``properties``, ``items``, ``allOf``, ...). ``$ref`` objects are not
yielded (their targets are, where they live), except, in 3.1, a ``$ref`` with
keywords beside it: JSON Schema 2020-12 applies them all, so it is a schema of
its own.

Example: ``{"components": {"schemas": {"A": {"items": {"type": "string"}}}}}``
yields ``(["components", "schemas", "A"], {...})`` then
``(["components", "schemas", "A", "items"], {"type": "string"})``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from codegen.core.openapi import HTTP_METHODS
from codegen.core.spec.keywords import subschemas

Tokens = list[str]
Visit = Callable[[Any, Tokens], Iterator[tuple[Tokens, Any]]]


def iter_schemas(doc: Any, is_31: bool = False) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    """Every schema object of ``doc`` (an OpenAPI document), depth first.

    >>> doc = {"components": {"schemas": {"A": {"$ref": "#/B", "default": 1}}}}
    >>> [tokens for tokens, _ in iter_schemas(doc)], [t for t, _ in iter_schemas(doc, True)]
    ([], [['components', 'schemas', 'A']])
    """
    yield from _walk(doc, _subschemas_31 if is_31 else _subschemas)


def iter_schema_roots(doc: Any) -> Iterator[tuple[Tokens, Any]]:
    """Where the OpenAPI structure holds a schema (a component schema, the
    ``schema`` of a parameter, header or media type), ``$ref`` objects and
    boolean schemas included; not their subschemas.

    >>> doc = {"components": {"schemas": {"A": {"items": {}}, "B": True}}}
    >>> [tokens for tokens, _ in iter_schema_roots(doc)]
    [['components', 'schemas', 'A'], ['components', 'schemas', 'B']]
    """
    yield from _walk(doc, _root)


def _root(schema: Any, tokens: Tokens) -> Iterator[tuple[Tokens, Any]]:
    if isinstance(schema, (dict, bool)):
        yield tokens, schema


def _walk(doc: Any, visit: Visit) -> Iterator[tuple[Tokens, Any]]:
    """``visit(schema, tokens)`` for each schema the OpenAPI structure holds."""
    if not isinstance(doc, dict):
        return
    components = doc.get("components")
    if isinstance(components, dict):
        yield from _each(components.get("schemas"), ["components", "schemas"], visit)
        for section, walker in (
            ("parameters", _holder),
            ("headers", _holder),
            ("requestBodies", _content_holder),
            ("responses", _response),
            ("pathItems", _path_item),
            ("callbacks", _callback),
        ):
            yield from _each(components.get(section), ["components", section], walker, visit)
    yield from _each(doc.get("paths"), ["paths"], _path_item, visit)
    yield from _each(doc.get("webhooks"), ["webhooks"], _path_item, visit)


def _each(container: Any, tokens: Tokens, walker: Any, *visit: Visit) -> Iterator[Any]:
    if isinstance(container, dict):
        for key, value in container.items():
            yield from walker(value, [*tokens, str(key)], *visit)


def _subschemas(
    schema: Any, tokens: Tokens, with_siblings: bool = False
) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    if not isinstance(schema, dict):
        return
    if "$ref" not in schema or (with_siblings and len(schema) > 1):
        yield tokens, schema
    for below, subschema in subschemas(schema):
        yield from _subschemas(subschema, [*tokens, *map(str, below)], with_siblings)


def _subschemas_31(schema: Any, tokens: Tokens) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    return _subschemas(schema, tokens, with_siblings=True)


def _holder(holder: Any, tokens: Tokens, visit: Visit) -> Iterator[tuple[Tokens, Any]]:
    """A parameter or header: ``schema`` or ``content``."""
    if not isinstance(holder, dict):
        return
    yield from visit(holder.get("schema"), [*tokens, "schema"])
    yield from _content_holder(holder, tokens, visit)


def _content_holder(holder: Any, tokens: Tokens, visit: Visit) -> Iterator[tuple[Tokens, Any]]:
    if not isinstance(holder, dict) or not isinstance(holder.get("content"), dict):
        return
    for media_type, media in holder["content"].items():
        if isinstance(media, dict):
            yield from visit(media.get("schema"), [*tokens, "content", media_type, "schema"])
            where = [*tokens, "content", media_type, "encoding"]
            yield from _each(media.get("encoding"), where, _encoding, visit)


def _encoding(encoding: Any, tokens: Tokens, visit: Visit) -> Iterator[tuple[Tokens, Any]]:
    if isinstance(encoding, dict):
        yield from _each(encoding.get("headers"), [*tokens, "headers"], _holder, visit)


def _response(response: Any, tokens: Tokens, visit: Visit) -> Iterator[tuple[Tokens, Any]]:
    if isinstance(response, dict):
        yield from _each(response.get("headers"), [*tokens, "headers"], _holder, visit)
        yield from _content_holder(response, tokens, visit)


def _path_item(item: Any, tokens: Tokens, visit: Visit) -> Iterator[tuple[Tokens, Any]]:
    if not isinstance(item, dict):
        return
    yield from _parameters(item.get("parameters"), [*tokens, "parameters"], visit)
    for method in HTTP_METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            yield from _operation(operation, [*tokens, method], visit)


def _operation(
    operation: dict[str, Any], tokens: Tokens, visit: Visit
) -> Iterator[tuple[Tokens, Any]]:
    yield from _parameters(operation.get("parameters"), [*tokens, "parameters"], visit)
    yield from _content_holder(operation.get("requestBody"), [*tokens, "requestBody"], visit)
    yield from _each(operation.get("responses"), [*tokens, "responses"], _response, visit)
    yield from _each(operation.get("callbacks"), [*tokens, "callbacks"], _callback, visit)


def _parameters(parameters: Any, tokens: Tokens, visit: Visit) -> Iterator[tuple[Tokens, Any]]:
    if isinstance(parameters, list):
        for index, parameter in enumerate(parameters):
            yield from _holder(parameter, [*tokens, str(index)], visit)


def _callback(callback: Any, tokens: Tokens, visit: Visit) -> Iterator[tuple[Tokens, Any]]:
    yield from _each(callback, tokens, _path_item, visit)


def iter_schema_holders(doc: Any) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    """Every parameter, header and media type object (the objects whose
    ``schema`` their ``example``/``examples`` must match), depth first.

    >>> doc = {"paths": {"/a": {"get": {"parameters": [{"name": "q", "schema": {}}]}}}}
    >>> [tokens for tokens, _ in iter_schema_holders(doc)]
    [['paths', '/a', 'get', 'parameters', '0']]
    """
    if not isinstance(doc, dict):
        return
    components = doc.get("components")
    if isinstance(components, dict):
        for section, visit in (
            ("parameters", _holders_of_parameter),
            ("headers", _holders_of_parameter),
            ("requestBodies", _holders_of_content),
            ("responses", _holders_of_response),
            ("pathItems", _holders_of_path_item),
        ):
            yield from _each(components.get(section), ["components", section], visit)
    yield from _each(doc.get("paths"), ["paths"], _holders_of_path_item)
    yield from _each(doc.get("webhooks"), ["webhooks"], _holders_of_path_item)


def _holders_of_parameter(holder: Any, tokens: Tokens) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    if isinstance(holder, dict) and "$ref" not in holder:
        yield tokens, holder
        yield from _holders_of_content(holder, tokens)


def _holders_of_content(holder: Any, tokens: Tokens) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    if isinstance(holder, dict) and isinstance(holder.get("content"), dict):
        for media_type, media in holder["content"].items():
            if isinstance(media, dict):
                yield [*tokens, "content", media_type], media


def _holders_of_response(holder: Any, tokens: Tokens) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    if isinstance(holder, dict):
        yield from _each(holder.get("headers"), [*tokens, "headers"], _holders_of_parameter)
        yield from _holders_of_content(holder, tokens)


def _holders_of_path_item(item: Any, tokens: Tokens) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    if not isinstance(item, dict):
        return
    yield from _holders_of_list(item.get("parameters"), [*tokens, "parameters"])
    for method in HTTP_METHODS:
        operation = item.get(method)
        if not isinstance(operation, dict):
            continue
        where = [*tokens, method]
        yield from _holders_of_list(operation.get("parameters"), [*where, "parameters"])
        yield from _holders_of_content(operation.get("requestBody"), [*where, "requestBody"])
        yield from _each(operation.get("responses"), [*where, "responses"], _holders_of_response)
        yield from _each(operation.get("callbacks"), [*where, "callbacks"], _holders_of_callback)


def _holders_of_callback(callback: Any, tokens: Tokens) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    yield from _each(callback, tokens, _holders_of_path_item)


def _holders_of_list(raw: Any, tokens: Tokens) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    if isinstance(raw, list):
        for index, parameter in enumerate(raw):
            yield from _holders_of_parameter(parameter, [*tokens, str(index)])
