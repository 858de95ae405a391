"""Which findings stop ``generate`` and ``serve``, and which only warn there.

``specfirst validate`` reports a spec as it is: anything that makes it
invalid is an error. ``generate`` and ``serve`` refuse only what they cannot
honour. A finding that does not stop correct code from being generated is
downgraded to a warning for them:

=====  ============================================================
SF120  a ``default`` its schema rejects: the schema is still enforced; the
       default is the renderer's to use or leave
SF121  an example its schema rejects: examples are documentation
SF123  an ECMA-262 pattern Python's ``re`` cannot compile: generated code
       uses the ``regex`` package
SF101  an unknown field in a spec object (a typo such as ``descripton``):
       generation ignores fields it does not know
SF106  ``nullable`` in a 3.1 schema: honoured with its 3.0 meaning
SF107  a boolean ``exclusiveMinimum``/``exclusiveMaximum`` in a 3.1 schema:
       honoured with its 3.0 meaning
SF117  a discriminator property a member does not declare
SF108  a path key with a ``?...`` suffix: routed on the path before it, the
       suffix selecting by query parameter (``codegen.core.routing.keys``)
SF109  a path parameter only the key's query suffix names (``?lat={lat}``):
       it is read from the query, as the suffix says
SF115  two path templates differing only in parameter names that share a
       method: the first declared wins, the other is named unreachable (SF250)
SF118  two path templates differing only in parameter names but with
       disjoint methods: a router can still tell requests apart by method
=====  ============================================================

Every other error (a broken ``$ref``, a path parameter missing from the
template, a pattern that is not a regular expression at all, ...) blocks.

``generate --strict`` and ``serve --strict`` downgrade nothing, and make the
generator's own SF250 (an operation no request can reach) blocking too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from codegen.core.diagnostics import Diagnostic, Severity

NON_BLOCKING_CODES: frozenset[str] = frozenset(
    {
        "SF101",
        "SF106",
        "SF107",
        "SF108",
        "SF109",
        "SF115",
        "SF117",
        "SF118",
        "SF120",
        "SF121",
        "SF123",
    }
)
# Warnings of generation that --strict turns into errors.
STRICT_ERROR_CODES: frozenset[str] = frozenset({"SF250"})


def is_blocking(diagnostic: Diagnostic, *, strict: bool = False) -> bool:
    """Whether ``diagnostic`` must stop code generation (``strict``: every error).

    >>> from codegen.core.diagnostics import SourceLocation
    >>> where = SourceLocation("s.yaml", 1, 1, "")
    >>> is_blocking(Diagnostic("SF120", Severity.ERROR, "bad default", where))
    False
    >>> is_blocking(Diagnostic("SF011", Severity.ERROR, "missing target", where))
    True
    """
    if diagnostic.severity is not Severity.ERROR:
        return False
    return strict or diagnostic.code not in NON_BLOCKING_CODES


def for_generation(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> list[Diagnostic]:
    """The same findings as ``generate`` and ``serve`` print them: the
    non-blocking errors downgraded to warnings, or with ``strict`` nothing
    downgraded and the :data:`STRICT_ERROR_CODES` warnings raised to errors."""
    if strict:
        return [
            dataclasses.replace(d, severity=Severity.ERROR) if d.code in STRICT_ERROR_CODES else d
            for d in diagnostics
        ]
    return [
        dataclasses.replace(d, severity=Severity.WARNING)
        if d.severity is Severity.ERROR and not is_blocking(d)
        else d
        for d in diagnostics
    ]
