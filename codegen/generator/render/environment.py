"""The one Jinja environment of specfirst's renderers.

``StrictUndefined`` makes a missing context value fail loudly instead of
printing nothing; ``trim_blocks``/``lstrip_blocks`` keep block tags from
leaving blank lines; ``keep_trailing_newline`` keeps files POSIX-clean.
"""

from __future__ import annotations

import functools

import jinja2

from codegen.generator.render.literals import docline, py_literal


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("codegen.generator.render", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = py_literal
    env.filters["docline"] = docline
    return env
