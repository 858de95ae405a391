"""JSON Schema 2020-12 identification in 3.1 schemas: ``$ref`` against the base
that ``$id`` sets at any depth, ``$anchor``, ``$dynamicRef``, URNs and embedded
resources resolve through ``referencing``; a reference that cannot be resolved
is a diagnostic at its own location (file:line and JSON pointer)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.core.spec.loader import load_spec

WriteSpec = Callable[..., Path]

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"


def test_ids_anchors_urns_and_dynamic_refs_resolve(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD
        + "    Tree:\n"
        + "      $id: https://example.com/schemas/tree\n"
        + "      $dynamicAnchor: node\n"
        + "      properties:\n"
        + "        kids: {type: array, items: {$dynamicRef: '#node'}}\n"
        + "        leaf: {$ref: 'leaf#green'}\n"
        + "        id: {$ref: 'urn:uuid:7c9f1e3a-0000-4000-8000-000000000001'}\n"
        + "      $defs:\n"
        + "        leaf: {$id: leaf, $anchor: green, type: string}\n"
        + "        uuid: {$id: 'urn:uuid:7c9f1e3a-0000-4000-8000-000000000001', format: uuid}\n"
        + "    Local:\n"
        + "      properties:\n"
        + "        x: {$ref: '#/components/schemas/Tree/$defs/leaf'}\n"
        + "        file: {$ref: 'other.yaml#/$defs/x'}\n"
    )
    write_spec("$defs: {x: {type: integer}}\n", name="other.yaml")
    loaded, diagnostics = load_spec(root)
    assert loaded is not None
    assert diagnostics == []
    resources = loaded.schema_resources
    assert resources is not None
    tree = "/components/schemas/Tree"
    file, pointer, _ = loaded.resolve("leaf#green", root.as_posix(), at=tree + "/properties/leaf")
    assert (file.display, pointer) == (root.as_posix(), tree + "/$defs/leaf")
    _, pointer, _ = loaded.resolve(
        "urn:uuid:7c9f1e3a-0000-4000-8000-000000000001", root.as_posix(), at=tree
    )
    assert pointer == tree + "/$defs/uuid"


@pytest.mark.parametrize(
    ("schema", "where", "code", "message"),
    [
        (
            "{$id: 'https://example.com/a', $ref: '#nope', $defs: {b: {$anchor: yes}}}",
            "/components/schemas/A/$ref",
            "SF011",
            "$ref '#nope' names no anchor: 'nope' is not an $anchor or $dynamicAnchor of "
            "https://example.com/a",
        ),
        (
            "{$id: 'https://example.com/a', properties: {p: {$ref: '#/$defs/bee'}}, "
            "$defs: {be: {}}}",
            "/components/schemas/A/properties/p/$ref",
            "SF011",
            "$ref '#/$defs/bee' points to nothing: {root} has no 'bee' at "
            "#/components/schemas/A/$defs",
        ),
        (
            "{$ref: 'urn:example:nobody'}",
            "/components/schemas/A/$ref",
            "SF012",
            "$ref 'urn:example:nobody': no schema of the spec has the identifier "
            "'urn:example:nobody', and specfirst never fetches URLs",
        ),
        (
            "{$id: 'https://example.com/a/', items: {$ref: 'b.json'}}",
            "/components/schemas/A/items/$ref",
            "SF012",
            "$ref 'b.json': no schema of the spec has the identifier "
            "'https://example.com/a/b.json', and specfirst never fetches URLs",
        ),
        (
            "{$ref: 'file://fileserver/schemas/a.json'}",
            "/components/schemas/A/$ref",
            "SF012",
            "$ref 'file://fileserver/schemas/a.json': 'file://fileserver/schemas/a.json' is a "
            "file of another host (fileserver)",
        ),
        (
            "{items: {$dynamicRef: '#missing'}}",
            "/components/schemas/A/items/$dynamicRef",
            "SF011",
            "$ref '#missing' names no anchor: 'missing' is not an $anchor or $dynamicAnchor "
            "of the schema resource",
        ),
        (
            "{$ref: 'http://[broken/x'}",
            "/components/schemas/A/$ref",
            "SF013",
            "$ref 'http://[broken/x' is not a URI reference: Invalid IPv6 URL",
        ),
    ],
)
def test_unresolvable_references_are_located(
    write_spec: WriteSpec, schema: str, where: str, code: str, message: str
) -> None:
    root = write_spec(HEAD + f"    A: {schema}\n")
    loaded, diagnostics = load_spec(root)
    assert loaded is not None
    [diagnostic] = diagnostics
    assert (diagnostic.code, diagnostic.location.pointer) == (code, where)
    assert diagnostic.message == message.replace("{root}", str(root))
    assert diagnostic.location.line == 6


def test_a_missing_file_named_from_a_schema_is_sf010(write_spec: WriteSpec) -> None:
    root = write_spec(HEAD + "    A: {items: {$ref: 'gone.json#/x'}}\n")
    _, [diagnostic] = load_spec(root)
    assert (diagnostic.code, diagnostic.location.pointer) == (
        "SF010",
        "/components/schemas/A/items/$ref",
    )
    assert diagnostic.message == (
        f"$ref 'gone.json#/x': cannot load {root.parent}/gone.json: "
        f"no such file: {root.parent}/gone.json"
    )


def test_reference_objects_outside_schemas_keep_document_paths(write_spec: WriteSpec) -> None:
    """A parameter ``$ref`` is an OpenAPI Reference Object, not JSON Schema: an
    ``$id`` in a schema does not change what it names."""
    root = write_spec(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
        "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/P'}]\n"
        "      responses: {'204': {description: ok}}\n"
        "components:\n  parameters:\n"
        "    P: {name: p, in: query, schema: {$id: 'https://x/', type: string}}\n"
    )
    loaded, diagnostics = load_spec(root)
    assert loaded is not None
    assert diagnostics == []
