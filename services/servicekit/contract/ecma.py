"""ECMA-262 regular expressions, as JSON Schema's ``pattern`` means them.

Python's ``re`` rejects ``\\p{L}`` and treats ``$`` as "end or before a final
newline"; the ``regex`` package understands Unicode property escapes, and we
translate the few ECMA differences that change results. Patterns are searched,
not anchored, as JSON Schema requires.
"""

from __future__ import annotations

import functools

import regex


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


def pattern_matches(pattern: str, text: str) -> bool:
    """``pattern_matches(r"^\\p{Lu}", "Émile")`` -> True."""
    return compile_pattern(pattern).search(text) is not None
