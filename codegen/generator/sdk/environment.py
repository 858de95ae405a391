"""The Jinja environment of the SDK templates (same conventions as
:mod:`codegen.generator.render.environment`: StrictUndefined, trim/lstrip blocks,
trailing newline kept) and the filters they use.

``docline`` (:mod:`codegen.generator.render.literals`) makes text safe inside a docstring;
``mdcell("a | b\\nc")`` -> ``"a \\\\| b c"``.
"""

from __future__ import annotations

import functools
import json

import jinja2

from codegen.generator.render.literals import docline, py_literal


def mdcell(text: str) -> str:
    """Text for one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def pytuple(values: tuple[str, ...] | list[str]) -> str:
    """``("a", "b")`` -> ``'("a", "b")'``; ``("a",)`` -> ``'("a",)'``."""
    items = [py_literal(v) for v in values]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def tomlstr(text: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML)."""
    return json.dumps(str(text), ensure_ascii=False)


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("codegen.generator.sdk", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        pyrepr=py_literal, pytuple=pytuple, docline=docline, mdcell=mdcell, tomlstr=tomlstr
    )
    return env
