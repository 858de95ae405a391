"""A string that matches an ECMA-262 ``pattern``, chosen by a seeded RNG.

Patterns are parsed with Python's own regular-expression parser after the
ECMA differences are rewritten (``\\p{L}`` becomes a letter class, ``\\d`` is
ASCII); the parse tree is then walked, choosing one branch and one repeat
count at each node. Repeats are kept short (unbounded ones stop at
``min + 2``) so strings stay readable, and :func:`string_for_pattern` retries
until the length bounds hold as well.

``string_for_pattern("^[A-Z]{3}-[0-9]{2}$", random.Random(1))`` -> ``"QFE-41"``.
"""

from __future__ import annotations

import random
import re
import re._constants as sre_constants  # the parser's opcodes (no deprecation warning)
import re._parser as sre_parse
from typing import Any

import regex

from codegen.core.ecma import compile_pattern

# Unicode property escapes that Python's re cannot parse -> a class standing in for them.
_PROPERTIES = {
    "L": "a-zA-Z",
    "Lu": "A-Z",
    "Ll": "a-z",
    "N": "0-9",
    "Nd": "0-9",
    "P": ".,;:!?",
    "S": "+$",
    "Z": " ",
}
_PROPERTY = re.compile(r"\\[pP]\{(?:\w+=)?(\w+)\}")
_UNBOUNDED_EXTRA = 2
_ATTEMPTS = 40
_WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
_PRINTABLE = [chr(c) for c in range(0x21, 0x7F)]
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


class PatternUnsatisfiable(ValueError):
    """No string of the requested length was found for the pattern."""


def _python_pattern(pattern: str) -> str:
    r"""``"\p{L}+[\p{N}_]"`` -> ``"[a-zA-Z]+[0-9_]"`` (parseable by ``re``)."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        match = _PROPERTY.match(pattern, index)
        if match:
            chars = _PROPERTIES.get(match.group(1), "a-zA-Z")
            out.append(chars if in_class else f"[{chars}]")
            index = match.end()
            continue
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def _in_class(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    negate = any(op is sre_constants.NEGATE for op, _ in items)
    chars: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            chars.append(chr(arg))
        elif op is sre_constants.RANGE:
            low, high = arg
            chars.extend(chr(c) for c in range(low, min(high, low + 200) + 1))
        elif op is sre_constants.CATEGORY:
            chars.extend(_category(arg))
    if negate:
        excluded = set(chars)
        allowed = [c for c in _PRINTABLE if c not in excluded]
        return rng.choice(allowed) if allowed else "\u00e9"
    return rng.choice(chars) if chars else "a"


def _category(category: Any) -> list[str]:
    name = str(category)
    if "NOT_DIGIT" in name or "NOT_WORD" in name or "NOT_SPACE" in name:
        return ["-"] if "NOT_DIGIT" in name or "NOT_SPACE" in name else [" "]
    if "DIGIT" in name:
        return list("0123456789")
    if "WORD" in name:
        return list(_WORD)
    if "SPACE" in name:
        return [" "]
    return ["a"]


class _Walker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.groups: dict[int, str] = {}

    def run(self, parsed: Any) -> str:
        return "".join(self.node(op, arg) for op, arg in parsed)

    def node(self, op: Any, arg: Any) -> str:
        """One parse-tree node -> text; anchors and lookarounds give ``""`` (the
        final match checks them)."""
        handler = _HANDLERS.get(op if op not in _REPEATS else sre_constants.MAX_REPEAT)
        return handler(self, arg) if handler is not None else ""

    def subpattern(self, arg: Any) -> str:
        group, _, _, parsed = arg
        text = self.run(parsed)
        if group is not None:
            self.groups[group] = text
        return text

    def repeat(self, arg: Any) -> str:
        low, high, parsed = arg
        top = low + _UNBOUNDED_EXTRA if high is sre_constants.MAXREPEAT else min(high, low + 4)
        return "".join(self.run(parsed) for _ in range(self.rng.randint(low, top)))


# parse-tree opcode -> how the walker writes it
_HANDLERS: dict[Any, Any] = {
    sre_constants.LITERAL: lambda w, arg: chr(arg),
    sre_constants.NOT_LITERAL: lambda w, arg: "a" if chr(arg) != "a" else "b",
    sre_constants.ANY: lambda w, arg: w.rng.choice("abcxyz0123"),
    sre_constants.IN: lambda w, arg: _in_class(arg, w.rng),
    sre_constants.BRANCH: lambda w, arg: w.run(w.rng.choice(arg[1])),
    sre_constants.SUBPATTERN: _Walker.subpattern,
    sre_constants.ATOMIC_GROUP: _Walker.run,
    sre_constants.MAX_REPEAT: _Walker.repeat,
    sre_constants.GROUPREF: lambda w, arg: w.groups.get(arg, ""),
    sre_constants.CATEGORY: lambda w, arg: w.rng.choice(_category(arg)),
}


def string_for_pattern(
    pattern: str, rng: random.Random, min_length: int = 0, max_length: int | None = None
) -> str:
    """A string the ECMA ``pattern`` matches (searched, as JSON Schema says),
    within the length bounds; raises :class:`PatternUnsatisfiable` otherwise."""
    try:
        parsed = sre_parse.parse(_python_pattern(pattern))
        checker = compile_pattern(pattern)
    except (re.error, regex.error, OverflowError, RecursionError):
        raise PatternUnsatisfiable(f"pattern {pattern!r} cannot be parsed") from None
    for _ in range(_ATTEMPTS):
        text = _Walker(rng).run(parsed)
        if len(text) < min_length:
            text = _pad(text, min_length)
        if max_length is not None and len(text) > max_length:
            continue
        if checker.search(text):
            return text
    raise PatternUnsatisfiable(
        f"no string of length {min_length}..{max_length} found for pattern {pattern!r}"
    )


def _pad(text: str, min_length: int) -> str:
    """Unanchored patterns accept extra text: try repeating the last character."""
    filler = text[-1] if text else "a"
    return text + filler * (min_length - len(text))
