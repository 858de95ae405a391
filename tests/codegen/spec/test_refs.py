"""``$ref``: local, external (with fragments, whole files, nested), escaping,
recursion, and every way a reference can fail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.core.spec.loader import load_spec
from codegen.core.spec.refs import Ref, RefError, parse_ref

WriteSpec = Callable[..., Path]

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("#/components/schemas/A", Ref("", "/components/schemas/A")),
        ("common.yaml#/components/schemas/Money", Ref("common.yaml", "/components/schemas/Money")),
        ("schemas/pet.json", Ref("schemas/pet.json", "")),
        ("#/paths/~1orders~1%7Bid%7D", Ref("", "/paths/~1orders~1{id}")),
        ("my%20file.yaml#/a%20b", Ref("my file.yaml", "/a b")),
        ("#", Ref("", "")),
        ("file:///tmp/x.yaml#/a", Ref("/tmp/x.yaml", "/a")),
    ],
)
def test_parse_ref(ref: str, expected: Ref) -> None:
    assert parse_ref(ref) == expected


@pytest.mark.parametrize(
    ("ref", "code", "message"),
    [
        (
            "https://example.com/common.yaml#/A",
            "SF012",
            "$ref 'https://example.com/common.yaml#/A' points to a remote document; "
            "specfirst never fetches URLs",
        ),
        (
            "#Money",
            "SF013",
            "$ref '#Money' has a fragment that is not a JSON pointer "
            "(plain-name anchors are not supported)",
        ),
        (42, "SF013", "$ref must be a string, not a number"),
    ],
)
def test_parse_ref_errors(ref: object, code: str, message: str) -> None:
    with pytest.raises(RefError) as info:
        parse_ref(ref)
    assert (info.value.code, info.value.message) == (code, message)


def test_external_refs_with_fragments_nested_and_whole_file(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD
        + "components:\n  schemas:\n"
        + "    Order: {properties: {total: {$ref: 'shared/common.yaml#/components/schemas/Money'}}}"
        + "\n"
        + "    Pet: {$ref: 'shared/pet.json'}\n",
        name="specs/orders.yaml",
    )
    write_spec(
        "components:\n  schemas:\n    Money:\n      properties:\n"
        "        currency: {$ref: '../currency.yaml'}\n",
        name="specs/shared/common.yaml",
    )
    write_spec("type: string\npattern: '^[A-Z]{3}$'\n", name="specs/currency.yaml")
    write_spec(
        '{"type": "object", "properties": {"name": {"type": "string"}}}',
        name="specs/shared/pet.json",
    )
    loaded, diagnostics = load_spec(root)
    assert diagnostics == []
    assert loaded is not None
    prefix = str(root.parent)
    assert sorted(loaded.files) == sorted(
        [
            str(root),
            f"{prefix}/shared/common.yaml",
            f"{prefix}/currency.yaml",
            f"{prefix}/shared/pet.json",
        ]
    )
    common = loaded.files[f"{prefix}/shared/common.yaml"]
    target_file, pointer, value = loaded.resolve("#/components/schemas/Money", common)
    assert (target_file, pointer) == (common, "/components/schemas/Money")
    currency_file, pointer, value = loaded.resolve("../currency.yaml", common)
    assert currency_file.display == f"{prefix}/currency.yaml"
    assert (pointer, value) == ("", {"type": "string", "pattern": "^[A-Z]{3}$"})
    location = loaded.locate(currency_file, "/pattern")
    assert (location.file, location.line, location.column) == (f"{prefix}/currency.yaml", 2, 1)


def test_resolve_follows_chains_unless_told_not_to(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
        "    B: {$ref: '#/components/schemas/C'}\n    C: {type: integer}\n"
    )
    loaded, _ = load_spec(root)
    assert loaded is not None
    assert loaded.resolve("#/components/schemas/A", loaded.root)[1:] == (
        "/components/schemas/C",
        {"type": "integer"},
    )
    assert loaded.resolve("#/components/schemas/A", loaded.root, follow=False)[1:] == (
        "/components/schemas/A",
        {"$ref": "#/components/schemas/B"},
    )


def test_escaped_pointers_resolve(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD.replace("paths: {}\n", "")
        + "paths:\n  /a/{id}:\n    x-v: 1\n"
        + "components:\n  schemas:\n    'til~de': {type: string}\n    'sp ace': {type: integer}\n"
        + "x-refs:\n  - $ref: '#/paths/~1a~1%7Bid%7D/x-v'\n"
        + "  - $ref: '#/components/schemas/til~0de'\n"
        + "  - $ref: '#/components/schemas/sp%20ace'\n"
    )
    loaded, diagnostics = load_spec(root)
    assert diagnostics == []
    assert loaded is not None
    values = [loaded.resolve(site.ref, loaded.root)[2] for site in loaded.refs]
    assert values == [1, {"type": "string"}, {"type": "integer"}]


def test_recursive_schemas_load_without_looping(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD + "components:\n  schemas:\n    Node:\n      properties:\n"
        "        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n"
        "        other: {$ref: 'other.yaml'}\n",
    )
    write_spec(
        "properties:\n  back: {$ref: 'spec.yaml#/components/schemas/Node'}\n", name="other.yaml"
    )
    loaded, diagnostics = load_spec(root)
    assert diagnostics == []
    assert loaded is not None
    assert len(loaded.files) == 2


def test_missing_target_reported_at_referring_ref(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD + "components:\n  schemas:\n    Order:\n      properties:\n"
        "        total: {$ref: '#/components/schemas/Mony'}\n    Money: {type: string}\n"
    )
    loaded, diagnostics = load_spec(root)
    assert loaded is not None
    [diagnostic] = diagnostics
    assert diagnostic.code == "SF011"
    assert diagnostic.message == (
        f"$ref '#/components/schemas/Mony' points to nothing: {root} has no 'Mony' "
        "at #/components/schemas"
    )
    assert diagnostic.hint == "did you mean 'Money'?"
    assert diagnostic.location.pointer == "/components/schemas/Order/properties/total/$ref"
    assert (diagnostic.location.line, diagnostic.location.column) == (8, 17)


def test_missing_target_in_other_file(write_spec: WriteSpec) -> None:
    root = write_spec(HEAD + "components:\n  schemas:\n    A: {$ref: 'common.yaml#/B'}\n")
    write_spec("C: {}\n", name="common.yaml")
    loaded, diagnostics = load_spec(root)
    assert loaded is not None
    assert [(d.code, d.location.line, d.message) for d in diagnostics] == [
        (
            "SF011",
            6,
            f"$ref 'common.yaml#/B' points to nothing: {root.parent}/common.yaml "
            "has no 'B' at its root",
        )
    ]


def test_missing_file_and_broken_file(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD
        + "components:\n  schemas:\n    A: {$ref: 'nope.yaml'}\n    B: {$ref: 'broken.yaml#/x'}\n"
    )
    write_spec("x: [unclosed\n", name="broken.yaml")
    loaded, diagnostics = load_spec(root)
    assert loaded is not None
    assert [(d.code, d.location.pointer) for d in diagnostics] == [
        ("SF010", "/components/schemas/A/$ref"),
        ("SF010", "/components/schemas/B/$ref"),
    ]
    assert diagnostics[0].message == (
        f"$ref 'nope.yaml': cannot load {root.parent}/nope.yaml: "
        f"no such file: {root.parent}/nope.yaml"
    )
    assert diagnostics[1].message.startswith(
        f"$ref 'broken.yaml#/x': cannot load {root.parent}/broken.yaml: invalid YAML:"
    )


def test_remote_ref_is_never_fetched(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD + "components:\n  schemas:\n    A: {$ref: 'http://127.0.0.1:9/x.yaml#/A'}\n"
    )
    loaded, diagnostics = load_spec(root)
    assert loaded is not None
    [diagnostic] = diagnostics
    assert diagnostic.code == "SF012"
    assert diagnostic.hint == (
        "download the document next to the spec and refer to it by relative path, "
        "or embed it with its $id"
    )


def test_reference_cycle_is_sf014(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
        "    B: {$ref: '#/components/schemas/A'}\n"
    )
    loaded, _ = load_spec(root)
    assert loaded is not None
    with pytest.raises(RefError) as info:
        loaded.resolve("#/components/schemas/A", loaded.root)
    assert info.value.code == "SF014"


def test_each_ref_to_a_missing_file_is_reported_with_its_own_text(write_spec: WriteSpec) -> None:
    root = write_spec(
        HEAD
        + "components:\n  schemas:\n    A: {$ref: 'gone.yaml#/A'}\n    B: {$ref: 'gone.yaml#/B'}\n"
    )
    loaded, diagnostics = load_spec(root)
    assert loaded is not None
    assert [d.message.split(":")[0] for d in diagnostics] == [
        "$ref 'gone.yaml#/A'",
        "$ref 'gone.yaml#/B'",
    ]
