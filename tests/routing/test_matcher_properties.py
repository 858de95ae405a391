"""Property tests of the segment trie (hypothesis).

1. Any path built from any template of a table, with any parameter values,
   routes to that template and no other, and gives back the values.
   Values may contain ``/`` (sent as ``%2F``, one segment) and any other
   character but NUL (refused, see 3.). Values never equal a literal of the
   table (else a literal sibling rightly wins, see 2.), contain no ``.``
   (which would let a partial segment ``{a}.{b}`` claim a plain parameter's
   value, and ``.``/``..`` are never routed) and are not all digits (which
   typed integer parameters claim first).
2. A literal template always beats a templated sibling that would also match.
3. A value with NUL is refused (400) wherever it is.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.core.routing.kinds import ParamKind
from codegen.core.routing.matcher import Matcher, Status
from codegen.core.routing.templates import CompiledPath, build_path, compile_path

LITERALS = ["a", "b", "items", "v1", "x-y"]

segment_kinds = st.sampled_from(["literal", "string", "integer", "partial"])


@st.composite
def templates(draw: st.DrawFn) -> CompiledPath:
    kinds = draw(st.lists(segment_kinds, min_size=1, max_size=4))
    parts: list[str] = []
    schemas: dict[str, ParamKind] = {}
    for index, kind in enumerate(kinds):
        name = f"p{index}"
        if kind == "literal":
            parts.append(draw(st.sampled_from(LITERALS)))
        elif kind == "string":
            parts.append(f"{{{name}}}")
        elif kind == "integer":
            parts.append(f"{{{name}}}")
            schemas[name] = ParamKind("integer")
        else:
            parts.append(f"{{{name}}}.{{{name}x}}")
    return compile_path("/" + "/".join(parts), schemas)


characters = st.one_of(st.characters(codec="utf-8", exclude_characters="\x00."), st.just("/"))
plain_values = st.text(characters, min_size=1, max_size=8).filter(
    lambda v: v not in LITERALS and not v.lstrip("-").isdigit()
)


@st.composite
def values_for(draw: st.DrawFn, path: CompiledPath) -> dict[str, str]:
    values: dict[str, str] = {}
    for segment in path.segments:
        for name in segment.names:
            if segment.kind is not None and segment.kind.kind == "integer":
                values[name] = str(draw(st.integers(-(10**6), 10**6)))
            else:
                values[name] = draw(plain_values)
    return values


def table(paths: list[CompiledPath]) -> tuple[Matcher[str], list[CompiledPath]]:
    matcher: Matcher[str] = Matcher()
    kept: list[CompiledPath] = []
    shapes: set[object] = set()
    for path in paths:
        if path.shape in shapes:
            continue
        shapes.add(path.shape)
        matcher.add(path, "GET", path.template)
        kept.append(path)
    return matcher, kept


@settings(max_examples=300, deadline=None)
@given(st.lists(templates(), min_size=1, max_size=12), st.data())
def test_built_paths_route_to_their_template_only(
    paths: list[CompiledPath], data: st.DataObject
) -> None:
    matcher, kept = table(paths)
    target = data.draw(st.sampled_from(kept))
    values = data.draw(values_for(target))
    result = matcher.match("GET", build_path(target, values))
    assert result.status is Status.FULL
    assert result.route == target.template
    assert result.params() == values


@settings(max_examples=200, deadline=None)
@given(templates(), st.data())
def test_literal_beats_templated_sibling(path: CompiledPath, data: st.DataObject) -> None:
    positions = [i for i, s in enumerate(path.segments) if s.names and s.pattern is None]
    if not positions:
        return
    position = data.draw(st.sampled_from(positions))
    literal = data.draw(st.sampled_from(LITERALS))
    texts = [s.text for s in path.segments]
    texts[position] = literal
    schemas = {
        s.names[0]: ParamKind("integer")
        for s in path.segments
        if s.kind is not None and s.kind.kind == "integer"
    }
    literal_path = compile_path("/" + "/".join(texts), schemas)
    values = data.draw(values_for(path))
    values[path.segments[position].names[0]] = literal
    for order in ([path, literal_path], [literal_path, path]):
        matcher, _ = table(order)
        result = matcher.match("GET", build_path(path, values))
        assert result.route == literal_path.template


@settings(max_examples=100, deadline=None)
@given(templates(), st.data())
def test_a_value_with_nul_is_refused(path: CompiledPath, data: st.DataObject) -> None:
    values = data.draw(values_for(path))
    plain = [name for s in path.segments if s.kind is None or s.kind.kind != "integer"
             for name in s.names]  # fmt: skip
    if not plain:
        return
    name = data.draw(st.sampled_from(plain))
    values[name] = values[name][:1] + "\x00"
    matcher, _ = table([path])
    assert matcher.match("GET", build_path(path, values)).status is Status.NON_CANONICAL
