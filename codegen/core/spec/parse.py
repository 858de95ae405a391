"""Spec text → plain JSON data plus a source map.

YAML is read with YAML 1.2 semantics (``on``/``yes`` are strings) through
ruamel.yaml's composer, and the node tree is turned into plain values by us,
so that:

* mapping keys are always strings (``200:`` under ``responses`` is ``"200"``);
* timestamps stay strings (``2020-01-01`` is data, not a ``datetime``);
* integers stay ``int`` and floats ``float``;
* duplicate keys and non-scalar keys are reported, not silently merged.

JSON goes through the stdlib parser (fast, ints stay ints); its positions
are computed later, only when a diagnostic needs one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from codegen.core.spec import pointer
from codegen.core.spec.source_map import JsonSourceMap, NullSourceMap, SourceMap, YamlSourceMap


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Something wrong in the text itself, at a 1-based line and column."""

    code: str
    message: str
    pointer: str
    line: int
    column: int


@dataclass(slots=True)
class Parsed:
    data: Any
    source_map: SourceMap
    problems: list[ParseProblem]
    ok: bool  # False when the text could not be parsed at all


def compose_yaml(text: str, *, pure: bool = False) -> Node | None:
    """The YAML 1.2 node tree of ``text`` (raises ruamel's YAMLError).

    The C parser (ruamel.yaml.clib, libyaml) is several times faster than
    the pure-Python one, which is used when it is missing or ``pure``.
    """
    yaml = YAML(typ="safe", pure=pure)
    yaml.version = (1, 2)
    return yaml.compose(text)  # type: ignore[no-any-return]


def parse_yaml(text: str, *, pure: bool = False) -> Parsed:
    """Parse YAML text.

    >>> parse_yaml("openapi: 3.1.0\\nresponses:\\n  200: {on: 2020-01-01}\\n").data
    {'openapi': '3.1.0', 'responses': {'200': {'on': '2020-01-01'}}}
    """
    try:
        root = compose_yaml(text, pure=pure)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        problem = ParseProblem("SF002", f"invalid YAML: {message}", "", line, column)
        return Parsed(None, NullSourceMap(), [problem], ok=False)
    except YAMLError as exc:
        problem = ParseProblem("SF002", f"invalid YAML: {exc}", "", 1, 1)
        return Parsed(None, NullSourceMap(), [problem], ok=False)
    converter = _NodeConverter()
    data = converter.convert(root, []) if root is not None else None
    return Parsed(data, YamlSourceMap(root), converter.problems, ok=True)


def parse_json(text: str) -> Parsed:
    """Parse JSON text.

    >>> parse_json('{"a": 1}').data
    {'a': 1}
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = ParseProblem("SF003", f"invalid JSON: {exc.msg}", "", exc.lineno, exc.colno)
        return Parsed(None, NullSourceMap(), [problem], ok=False)
    except RecursionError:
        problem = ParseProblem("SF003", "invalid JSON: nested too deeply", "", 1, 1)
        return Parsed(None, NullSourceMap(), [problem], ok=False)
    return Parsed(data, JsonSourceMap(text), [], ok=True)


class _NodeConverter:
    """Turns composed YAML nodes into plain values, collecting problems."""

    def __init__(self) -> None:
        self.problems: list[ParseProblem] = []
        self._done: dict[int, Any] = {}  # aliases share one value
        self._active: set[int] = set()

    def convert(self, node: Node, path: list[str]) -> Any:
        if isinstance(node, ScalarNode):
            return _scalar(node)
        key = id(node)
        if key in self._done:
            return self._done[key]
        if key in self._active:
            self._problem(
                "SF009", "recursive YAML alias: a value cannot contain itself", node, path
            )
            return None
        self._active.add(key)
        try:
            if isinstance(node, SequenceNode):
                value: Any = [
                    self.convert(item, [*path, str(index)]) for index, item in enumerate(node.value)
                ]
            elif isinstance(node, MappingNode):
                value = self._mapping(node, path)
            else:  # pragma: no cover - the composer makes only these three
                value = None
        finally:
            self._active.discard(key)
        self._done[key] = value
        return value

    def _mapping(self, node: MappingNode, path: list[str]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        merged: list[dict[str, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag.endswith(":merge"):
                merged.extend(self._merge_sources(value_node, path))
                continue
            if not isinstance(key_node, ScalarNode):
                self._problem("SF008", "mapping keys must be strings", key_node, path)
                continue
            name = str(key_node.value)
            if name in seen:
                message = f"duplicate key {name!r} (first at line {seen[name]})"
                self._problem("SF007", message, key_node, [*path, name])
            seen[name] = key_node.start_mark.line + 1
            result[name] = self.convert(value_node, [*path, name])
        for source in merged:
            for name, value in source.items():
                result.setdefault(name, value)
        return result

    def _merge_sources(self, node: Node, path: list[str]) -> list[dict[str, Any]]:
        nodes = node.value if isinstance(node, SequenceNode) else [node]
        sources = []
        for source in nodes:
            value = self.convert(source, path)
            if isinstance(value, dict):
                sources.append(value)
            else:
                self._problem("SF008", "a merge key (<<) needs a mapping", source, path)
        return sources

    def _problem(self, code: str, message: str, node: Node, path: list[str]) -> None:
        mark = node.start_mark
        self.problems.append(
            ParseProblem(code, message, pointer.join(path), mark.line + 1, mark.column + 1)
        )


def _scalar(node: ScalarNode) -> Any:
    """A plain value for a scalar node, by its resolved YAML 1.2 tag.

    Quoted scalars are always strings; unknown tags and timestamps keep their
    text.
    """
    text = str(node.value)
    tag = str(node.tag)
    if node.style or not tag.startswith("tag:yaml.org,2002:"):  # plain is None or ""
        return text
    kind = tag.rsplit(":", 1)[1]
    if kind == "int":
        return _int(text)
    if kind == "float":
        return _float(text)
    if kind == "bool":
        return text.lower() == "true"
    if kind == "null":
        return None
    return text


def _int(text: str) -> int | str:
    """An int from a YAML 1.2 integer literal (the text if it is not one).

    >>> [_int(t) for t in ("42", "-0o17", "0x1F", "1_000", "017")]
    [42, -15, 31, 1000, 17]
    """
    clean = text.replace("_", "")
    sign = -1 if clean.startswith("-") else 1
    digits = clean.lstrip("+-")
    try:
        for prefix, base in (("0o", 8), ("0x", 16), ("0b", 2)):
            if digits.lower().startswith(prefix):
                return sign * int(digits[2:], base)
        return sign * int(digits, 10)
    except ValueError:
        return text


def _float(text: str) -> float | str:
    """A float from a YAML 1.2 float literal (the text if it is not one).

    >>> [_float(t) for t in ("1e3", "-.inf", "1_0.5")]
    [1000.0, -inf, 10.5]
    """
    clean = text.replace("_", "").lower()
    special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
    try:
        return float(special.get(clean, clean))
    except ValueError:
        return text
