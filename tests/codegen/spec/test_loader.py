"""Loading: YAML 1.2 values, JSON fidelity, positions, and refusals."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.core.diagnostics import Severity, SourceLocation
from codegen.core.spec.loader import load_spec
from codegen.core.spec.parse import parse_yaml

WriteSpec = Callable[..., Path]

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"


def test_yaml_values_keep_yaml_12_semantics(write_spec: WriteSpec) -> None:
    path = write_spec(
        HEAD
        + """
        x-values:
          on: yes
          date: 2020-01-01
          stamp: 2001-12-14t21:59:43.10-05:00
          octal: 0o17
          leading_zero: 017
          big: 12345678901234567890
          float: 1.5e3
          null_value: ~
          quoted: "123"
          bool: true
        paths:
          /a:
            get:
              responses:
                200: {description: ok}
        """.replace("\n        ", "\n")
    )
    loaded, diagnostics = load_spec(path)
    assert diagnostics == []
    assert loaded is not None
    values = loaded.root.data["x-values"]
    assert values == {
        "on": "yes",
        "date": "2020-01-01",
        "stamp": "2001-12-14t21:59:43.10-05:00",
        "octal": 15,
        "leading_zero": 17,
        "big": 12345678901234567890,
        "float": 1500.0,
        "null_value": None,
        "quoted": "123",
        "bool": True,
    }
    assert list(loaded.root.data["paths"]["/a"]["get"]["responses"]) == ["200"]


def test_yaml_merge_keys_and_aliases(write_spec: WriteSpec) -> None:
    path = write_spec(
        HEAD
        + "x-base: &base {a: 1, b: 2}\nx-merged: {<<: *base, b: 3}\nx-alias: *base\npaths: {}\n"
    )
    loaded, diagnostics = load_spec(path)
    assert diagnostics == []
    assert loaded is not None
    assert loaded.root.data["x-merged"] == {"b": 3, "a": 1}
    assert loaded.root.data["x-alias"] == {"a": 1, "b": 2}


def test_json_numbers_stay_faithful(write_spec: WriteSpec) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "x-n": [1, 1.0, 12345678901234567890, -0.5],
    }
    loaded, _ = load_spec(write_spec(json.dumps(doc), name="spec.json"))
    assert loaded is not None
    values = loaded.root.data["x-n"]
    assert values == [1, 1.0, 12345678901234567890, -0.5]
    assert [type(v) for v in values] == [int, float, int, float]


@pytest.mark.parametrize(
    ("pointer", "line", "column"),
    [
        ("", 1, 1),
        ("/info", 2, 1),
        ("/paths/~1orders~1{id}", 4, 3),
        ("/paths/~1orders~1{id}/get/responses/200", 7, 9),
        ("/paths/~1orders~1{id}/get/parameters/1", 10, 11),
        ("/paths/~1orders~1{id}/get/parameters/1/in", 11, 11),
        ("/components/schemas/a~1b~0c", 14, 5),
        # Missing pointers map to the nearest existing ancestor.
        ("/paths/~1orders~1{id}/get/responses/404", 6, 7),
        ("/paths/~1orders~1{id}/get/parameters/9", 8, 7),
    ],
)
def test_yaml_positions(write_spec: WriteSpec, pointer: str, line: int, column: int) -> None:
    path = write_spec(
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /orders/{id}:
            get:
              responses:
                200: {description: ok}
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
                - name: q
                  in: query
        components:
          schemas:
            a/b~c: {type: string}
        """
    )
    loaded, _ = load_spec(path)
    assert loaded is not None
    location = loaded.locate(loaded.root, pointer)
    assert location == SourceLocation(str(path), line, column, pointer)


@pytest.mark.parametrize(
    ("pointer", "line", "column"),
    [
        ("", 1, 1),
        ("/paths", 3, 3),
        ("/paths/~1orders~1{id}/get", 5, 7),
        ("/paths/~1orders~1{id}/get/parameters/1", 8, 11),
        ("/paths/~1orders~1{id}/get/parameters/1/name", 8, 12),
        ("/x-esc/a~1b~0c", 13, 16),
        ("/paths/~1nope", 3, 3),
    ],
)
def test_json_positions(write_spec: WriteSpec, pointer: str, line: int, column: int) -> None:
    text = """{
  "openapi": "3.0.3",
  "paths": {
    "/orders/{id}": {
      "get": {
        "parameters": [
          {"name": "id", "in": "path"},
          {"name": "q",
           "in": "query"}
        ]
      }
    }
  }, "x-esc": {"a/b~c": 1},
  "info": {"title": "t", "version": "1"}
}
"""
    path = write_spec(text, name="spec.json")
    loaded, _ = load_spec(path)
    assert loaded is not None
    location = loaded.locate(loaded.root, pointer)
    assert (location.line, location.column) == (line, column)


def test_json_positions_ignore_braces_inside_strings(write_spec: WriteSpec) -> None:
    text = '{"openapi": "3.0.3", "x-a": "{\\"not\\": [\\"real\\"]}",\n "x-b": {"c": 1}}'
    loaded, _ = load_spec(write_spec(text, name="spec.json"))
    assert loaded is not None
    location = loaded.locate(loaded.root, "/x-b/c")
    assert (location.line, location.column) == (2, 10)


def test_missing_file_is_sf001(tmp_path: Path) -> None:
    loaded, diagnostics = load_spec(tmp_path / "nope.yaml")
    assert loaded is None
    [diagnostic] = diagnostics
    assert diagnostic.code == "SF001"
    assert diagnostic.message == f"no such file: {tmp_path / 'nope.yaml'}"


def test_invalid_yaml_is_sf002_with_position(write_spec: WriteSpec) -> None:
    path = write_spec("openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n")
    loaded, diagnostics = load_spec(path)
    assert loaded is None
    [diagnostic] = diagnostics
    assert diagnostic.code == "SF002"
    assert diagnostic.message.startswith("invalid YAML: ")
    assert diagnostic.location.line == 4


def test_invalid_json_is_sf003_with_position(write_spec: WriteSpec) -> None:
    path = write_spec('{\n  "openapi": "3.1.0",\n  "info": {,}\n}', name="spec.json")
    loaded, diagnostics = load_spec(path)
    assert loaded is None
    [diagnostic] = diagnostics
    assert diagnostic.code == "SF003"
    assert diagnostic.message == "invalid JSON: Expecting property name enclosed in double quotes"
    assert (diagnostic.location.line, diagnostic.location.column) == (3, 12)


def test_duplicate_yaml_key_is_sf007(write_spec: WriteSpec) -> None:
    path = write_spec(
        HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: {}\n    A: {type: string}\n"
    )
    loaded, diagnostics = load_spec(path)
    assert loaded is not None
    [diagnostic] = diagnostics
    assert diagnostic.code == "SF007"
    assert diagnostic.message == "duplicate key 'A' (first at line 6)"
    assert diagnostic.location.pointer == "/components/schemas/A"
    assert diagnostic.location.line == 7
    assert loaded.root.data["components"]["schemas"]["A"] == {"type": "string"}


def test_swagger_2_is_refused_with_advice(write_spec: WriteSpec) -> None:
    path = write_spec("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")
    loaded, diagnostics = load_spec(path)
    assert loaded is None
    [diagnostic] = diagnostics
    assert diagnostic.code == "SF005"
    assert diagnostic.severity is Severity.ERROR
    assert "Swagger 2.0 document" in diagnostic.message
    assert "OpenAPI 3.0 and 3.1 only" in diagnostic.message
    assert diagnostic.hint is not None and "swagger2openapi" in diagnostic.hint
    assert (diagnostic.location.line, diagnostic.location.pointer) == (1, "/swagger")


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("info: {title: t}\n", "SF006", "not an OpenAPI document: the 'openapi' field is missing"),
        (
            "openapi: 2.5.0\n",
            "SF006",
            "unsupported OpenAPI version '2.5.0': specfirst reads 3.0.x and 3.1.x",
        ),
        (
            "openapi: 3.1\n",
            "SF006",
            "unsupported OpenAPI version 3.1: specfirst reads 3.0.x and 3.1.x",
        ),
        ("- a\n- b\n", "SF004", "the document root is a list; it must be a mapping"),
        ("just text\n", "SF004", "the document root is a string; it must be a mapping"),
        ("", "SF004", "the file is empty"),
        ("\n  \n# only a comment\n", "SF004", "the file is empty"),
        ("~\n", "SF004", "the document is null; its root must be a mapping"),
    ],
)
def test_documents_that_are_not_openapi_3(
    write_spec: WriteSpec, text: str, code: str, message: str
) -> None:
    loaded, diagnostics = load_spec(write_spec(text))
    assert loaded is None
    assert [(d.code, d.message) for d in diagnostics] == [(code, message)]


def test_sha256_and_display_path(write_spec: WriteSpec) -> None:
    path = write_spec(HEAD + "paths: {}\n")
    loaded, _ = load_spec(str(path))
    assert loaded is not None
    assert loaded.root.display == str(path)
    assert loaded.root.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_large_json_loads_fast(tmp_path: Path) -> None:
    """Positions are lazy: loading a big JSON document costs about json.loads."""
    schemas = {
        f"S{i}": {"type": "object", "properties": {"a": {"$ref": f"#/components/schemas/S{i - 1}"}}}
        for i in range(1, 20000)
    }
    schemas["S0"] = {"type": "string"}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    path = tmp_path / "big.json"
    text = json.dumps(doc, indent=1)
    path.write_text(text)
    start = time.perf_counter()
    json.loads(text)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    loaded, diagnostics = load_spec(path)
    elapsed = time.perf_counter() - start
    assert loaded is not None and diagnostics == []
    assert len(loaded.refs) == 19999
    # the same order as parsing alone (ref checks included), however busy the machine
    assert elapsed < 20 * baseline + 0.5
    location = loaded.locate(loaded.root, "/components/schemas/S19999/properties/a")
    assert location.line > 100000


@pytest.mark.parametrize(
    ("text", "code", "message", "line"),
    [
        (HEAD + "paths: {}\nx-a:\n  ? [1, 2]\n  : v\n", "SF008", "mapping keys must be strings", 5),
        (HEAD + "paths: {}\nx-a: {<<: 5}\n", "SF008", "a merge key (<<) needs a mapping", 4),
        (
            HEAD + "paths: {}\nx-a: &a [*a]\n",
            "SF009",
            "recursive YAML alias: a value cannot contain itself",
            4,
        ),
    ],
)
def test_yaml_structure_problems(
    write_spec: WriteSpec, text: str, code: str, message: str, line: int
) -> None:
    loaded, diagnostics = load_spec(write_spec(text))
    assert loaded is not None
    assert [(d.code, d.message, d.location.line) for d in diagnostics] == [(code, message, line)]


def test_directory_and_non_utf8_are_sf001(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "latin.yaml").write_bytes(b"openapi: 3.1.0\ninfo: {title: caf\xe9}\n")
    assert [(d.code, d.message) for d in load_spec(tmp_path / "dir.yaml")[1]] == [
        ("SF001", f"{tmp_path / 'dir.yaml'} is a directory, not a spec file")
    ]
    assert [(d.code, d.message) for d in load_spec(tmp_path / "latin.yaml")[1]] == [
        ("SF001", f"{tmp_path / 'latin.yaml'} is not UTF-8 text (byte 32)")
    ]


def test_c_and_pure_yaml_parsers_agree() -> None:
    text = (
        "openapi: 3.1.0\nx: {on: yes, d: 2020-01-01, n: 0o17, f: 1e3, q: '1', b: false}\n"
        "paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n"
    )
    fast, pure = parse_yaml(text), parse_yaml(text, pure=True)
    assert fast.data == pure.data
    assert fast.data["x"] == {
        "on": "yes",
        "d": "2020-01-01",
        "n": 15,
        "f": 1000.0,
        "q": "1",
        "b": False,
    }
    tokens = ["paths", "/a", "get", "responses", "200"]
    assert fast.source_map.position(tokens) == pure.source_map.position(tokens) == (7, 9, 5)
