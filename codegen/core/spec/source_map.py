"""JSON pointer → (line, column) for one spec file.

Positions are 1-based. For an object member the position is that of its
*key* (where a reader looks: ``requestBody:``), for an array element that of
the element. A pointer that names nothing maps to its nearest existing
ancestor, so a diagnostic about a missing key still points at the object
that lacks it.

YAML keeps the composed node tree (it has marks for every node). JSON keeps
only the text: positions are found on demand by walking the text towards the
pointer with the C JSON scanner, skipping sibling values whole, so a 10 MB
document loads at ``json.loads`` speed and only diagnostics pay for positions.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from typing import Protocol

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from codegen.core.diagnostics import SourceLocation
from codegen.core.spec.pointer import PointerError
from codegen.core.spec.pointer import split as pointer_tokens


class SourceMap(Protocol):
    def position(self, tokens: Sequence[str]) -> tuple[int, int, int]:
        """(line, column, number of tokens that matched)."""
        ...


class YamlSourceMap:
    """Positions from a ruamel.yaml node tree.

    >>> from codegen.core.spec.parse import compose_yaml
    >>> YamlSourceMap(compose_yaml("a:\\n  b: 1\\n")).position(["a", "b"])
    (2, 3, 2)
    """

    def __init__(self, root: Node | None) -> None:
        self._root = root

    def position(self, tokens: Sequence[str]) -> tuple[int, int, int]:
        node = self._root
        if node is None:
            return (1, 1, 0)
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        for depth, token in enumerate(tokens):
            found = _yaml_child(node, token)
            if found is None:
                return (line, column, depth)
            mark_node, node = found
            line, column = mark_node.start_mark.line + 1, mark_node.start_mark.column + 1
        return (line, column, len(tokens))


def _yaml_child(node: Node, token: str) -> tuple[Node, Node] | None:
    """(node whose mark to report, child node) or None."""
    if isinstance(node, MappingNode):
        for key, value in reversed(node.value):  # last duplicate wins, as in the data
            if isinstance(key, ScalarNode) and key.value == token:
                return key, value
        for key, value in node.value:  # merge keys (<<) contribute members too
            if key.tag.endswith(":merge"):
                sources = value.value if isinstance(value, SequenceNode) else [value]
                for source in sources:
                    found = _yaml_child(source, token)
                    if found is not None:
                        return found
        return None
    if isinstance(node, SequenceNode) and token.isdigit():
        index = int(token)
        if index < len(node.value):
            item = node.value[index]
            return item, item
    return None


_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonSourceMap:
    """Positions in JSON text, computed lazily.

    >>> JsonSourceMap('{"a": {"b": [1, 2]}}').position(["a", "b", "1"])
    (1, 17, 3)
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts: list[int] | None = None
        # Offsets found so far: each container is scanned at most once.
        self._objects: dict[int, dict[str, tuple[int, int]]] = {}
        self._arrays: dict[int, list[int]] = {}

    def position(self, tokens: Sequence[str]) -> tuple[int, int, int]:
        offset = self._ws(0)
        report = offset
        for depth, token in enumerate(tokens):
            found = self._child(offset, token)
            if found is None:
                return (*self._line_column(report), depth)
            report, offset = found
        return (*self._line_column(report), len(tokens))

    def _child(self, offset: int, token: str) -> tuple[int, int] | None:
        """(offset to report, offset of the child value) or None."""
        text = self._text
        if offset >= len(text):
            return None
        if text[offset] == "{":
            return self._member(offset, token)
        if text[offset] == "[" and token.isdigit():
            return self._element(offset, int(token))
        return None

    def _member(self, offset: int, token: str) -> tuple[int, int] | None:
        members = self._objects.get(offset)
        if members is None:
            members = self._objects[offset] = self._scan_object(offset)
        return members.get(token)

    def _element(self, offset: int, index: int) -> tuple[int, int] | None:
        elements = self._arrays.get(offset)
        if elements is None:
            elements = self._arrays[offset] = self._scan_array(offset)
        return (elements[index], elements[index]) if index < len(elements) else None

    def _scan_object(self, offset: int) -> dict[str, tuple[int, int]]:
        """key -> (key offset, value offset) for the object at ``offset``;
        the last duplicate wins, as in the data."""
        text = self._text
        members: dict[str, tuple[int, int]] = {}
        position = self._ws(offset + 1)
        while position < len(text) and text[position] == '"':
            key_start = position
            key, position = _DECODER.raw_decode(text, position)
            position = self._ws(self._ws(position) + 1)  # past ':'
            members[key] = (key_start, position)
            position = self._skip(position)
            if position >= len(text) or text[position] != ",":
                break
            position = self._ws(position + 1)
        return members

    def _scan_array(self, offset: int) -> list[int]:
        text = self._text
        elements: list[int] = []
        position = self._ws(offset + 1)
        while position < len(text) and text[position] != "]":
            elements.append(position)
            position = self._skip(position)
            if position >= len(text) or text[position] != ",":
                break
            position = self._ws(position + 1)
        return elements

    def _ws(self, position: int) -> int:
        return _WS.match(self._text, position).end()  # type: ignore[union-attr]

    def _skip(self, position: int) -> int:
        """Offset after the value at ``position`` and any whitespace."""
        _, end = _DECODER.raw_decode(self._text, position)
        return self._ws(end)

    def _line_column(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            starts = [0]
            starts.extend(match.end() for match in re.finditer("\n", self._text))
            self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


class NullSourceMap:
    """For documents we could not parse: everything is at 1:1."""

    def position(self, tokens: Sequence[str]) -> tuple[int, int, int]:
        return (1, 1, 0)


class LazySourceLocation(SourceLocation):
    """A :class:`SourceLocation` whose line and column are looked up on first
    use. The IR gives every schema a location; finding positions in a large
    JSON document costs more than building the IR, and most are never read.

    It equals, hashes, prints, copies and pickles exactly like the plain
    :class:`SourceLocation` with the same values.
    """

    __slots__ = ("_position", "_source_map")
    _position: tuple[int, int] | None
    _source_map: SourceMap | None

    def __init__(
        self,
        file: str,
        line: int | None = None,
        column: int | None = None,
        pointer: str = "",
        *,
        source_map: SourceMap | None = None,
    ) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "pointer", pointer)
        object.__setattr__(self, "_source_map", source_map)
        known = (line, column) if line is not None and column is not None else None
        object.__setattr__(self, "_position", known)

    def _resolved(self) -> tuple[int, int]:
        position: tuple[int, int] | None = self._position
        if position is None:
            source_map = self._source_map or NullSourceMap()
            try:
                tokens = pointer_tokens(self.pointer)
            except PointerError:
                tokens = []
            line, column, _ = source_map.position(tokens)
            position = (line, column)
            object.__setattr__(self, "_position", position)
        return position

    @property
    def line(self) -> int:
        return self._resolved()[0]

    @property
    def column(self) -> int:
        return self._resolved()[1]

    def plain(self) -> SourceLocation:
        return SourceLocation(self.file, self.line, self.column, self.pointer)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceLocation):
            return NotImplemented
        return (self.file, self.line, self.column, self.pointer) == (
            other.file,
            other.line,
            other.column,
            other.pointer,
        )

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.column, self.pointer))

    def __repr__(self) -> str:
        return repr(self.plain())

    def __reduce__(self) -> tuple[type[SourceLocation], tuple[str, int, int, str]]:
        return (SourceLocation, (self.file, self.line, self.column, self.pointer))
