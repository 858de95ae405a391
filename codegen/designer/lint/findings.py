"""What a lint rule reports before configuration, waivers and locations apply.

A rule yields :class:`Finding` objects that point at a :class:`Node`; the
runner turns them into :class:`codegen.core.diagnostics.Diagnostic` objects with the
configured severity, the file:line:column of the node and the rule's fix as hint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from codegen.designer.lint.document import Document, Node


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str  # a rule id from codegen.designer.lint.catalogue, e.g. "SF304"
    message: str
    node: Node


Check = Callable[[Document], Iterable[Finding]]
"""A rule module's entry point: every finding of its rules in one document."""
