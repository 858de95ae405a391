"""Every door judges a ``pattern`` by the one ECMA-262 rule in :mod:`codegen.core.ecma`.

The runtime's fields, request and example validation (:mod:`codegen.core.validator`),
the spec's own value checks and the synthesizer's self-check once compiled patterns
each in their own way: ``$`` before a trailing newline and non-ASCII ``\\d`` digits
were accepted by one and refused by another.
"""

from __future__ import annotations

import random

import pytest

from codegen.core.ecma import pattern_error, pattern_matches
from codegen.core.synth.patterns import PatternUnsatisfiable, string_for_pattern
from codegen.core.validator import validation_error

# (pattern, text, matches in ECMA-262)
CASES = [
    ("^[a-z]+$", "abc", True),
    ("^[a-z]+$", "abc\n", False),  # Python's `$` also matches before a final newline
    (r"^\d+$", "123", True),
    (r"^\d+$", "١٢٣", False),  # ECMA's \d is ASCII; Python's is Unicode
    (r"^\p{Lu}", "Émile", True),  # a Unicode property escape Python's re cannot parse
    ("b", "abc", True),  # searched, not anchored
]


@pytest.mark.parametrize(("pattern", "text", "matches"), CASES)
def test_the_validator_uses_ecma_semantics(pattern: str, text: str, matches: bool) -> None:
    assert pattern_matches(pattern, text) is matches
    error = validation_error({"type": "string", "pattern": pattern}, text)
    assert (error is None) is matches


def test_the_regex_format_means_an_ecma_regular_expression() -> None:
    assert validation_error({"type": "string", "format": "regex"}, r"^\p{L}+$") is None
    assert validation_error({"type": "string", "format": "regex"}, "^([a-z]+$") is not None
    assert pattern_error("^([a-z]+$") is not None


def test_the_synthesizer_never_returns_a_string_the_validator_refuses() -> None:
    rng = random.Random(7)
    for pattern in ("^[a-z]+$", r"^\d{3}$", r"^\p{Lu}[a-z]*$"):
        for _ in range(20):
            try:
                text = string_for_pattern(pattern, rng, 1, 12)
            except PatternUnsatisfiable:
                continue
            assert validation_error({"type": "string", "pattern": pattern}, text) is None
