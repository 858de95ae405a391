"""ECMA-262 regular expressions, as JSON Schema's ``pattern`` means them.

The one place where a ``pattern`` is compiled and matched: the runtime's field
and schema checks, request validation (:mod:`codegen.core.validator`), the
checks of a spec's own defaults and examples (:mod:`codegen.core.spec.values`)
and the synthesizer's self-check (:mod:`codegen.core.synth.patterns`) all call
it, so a value that one of them accepts the others accept too.

Python's ``re`` rejects ``\\p{L}`` and treats ``$`` as "end or before a final
newline"; the ``regex`` package understands Unicode property escapes, and we
translate the few ECMA differences that change results. Patterns are searched,
not anchored, as JSON Schema requires.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import regex
from jsonschema import ValidationError


def translate(pattern: str) -> str:
    r"""Rewrite ECMA-only syntax for the ``regex`` module.

    ``$`` outside a character class becomes ``\Z`` (ECMA's ``$`` never
    matches before a trailing newline); ``\d`` becomes ``[0-9]`` (ECMA's
    ``\d`` is ASCII only, Python's is Unicode).

    ``translate("^[a-z]+$")`` -> ``"^[a-z]+\Z"``.
    """
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            nxt = pattern[index + 1]
            if nxt == "d":
                out.append("0-9" if in_class else "[0-9]")
            else:
                out.append("\\" + nxt)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile once per process; raises ``regex.error`` for invalid patterns."""
    return regex.compile(translate(pattern))


def pattern_matches(pattern: str, text: str, timeout: float | None = None) -> bool:
    """``pattern_matches(r"^\\p{Lu}", "Émile")`` -> True.

    Raises ``regex.error`` for an invalid pattern and, with a ``timeout`` in
    seconds, ``TimeoutError`` when the match is still undecided by then
    (catastrophic backtracking); the caller decides what undecided means.
    """
    return compile_pattern(pattern).search(text, timeout=timeout) is not None


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a regular expression (None when it is one).

    The reason's positions count in the pattern as written, not as translated.
    """
    try:
        regex.compile(pattern)
        compile_pattern(pattern)
    except regex.error as error:
        return str(error)
    return None


def pattern_keyword(
    timeout: float | None = None,
) -> Callable[[Any, Any, Any, Any], Iterator[ValidationError]]:
    """A jsonschema ``pattern`` keyword function with ECMA-262 semantics.

    Invalid patterns are reported by ``specfirst validate`` (SF122), not here.
    With a ``timeout``, a match still undecided by then counts as a match: that
    is for checking a spec's own examples, never for requests.
    """

    def pattern(
        validator: Any, value: Any, instance: Any, schema: Any
    ) -> Iterator[ValidationError]:
        if not isinstance(instance, str) or not isinstance(value, str):
            return
        try:
            if pattern_matches(value, instance, timeout):
                return
        except (regex.error, TimeoutError):
            return
        yield ValidationError(f"{instance!r} does not match {value!r}")

    return pattern
