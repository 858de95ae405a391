"""The lint rules, one module per theme; :data:`CHECKS` lists their entry points.

Each check walks a :class:`codegen.designer.lint.document.Document` and yields
:class:`codegen.designer.lint.findings.Finding` objects for the rule ids it owns (see
``codegen.designer.lint.catalogue``); it never decides severity or waivers.
"""

from __future__ import annotations

from codegen.designer.lint.findings import Check
from codegen.designer.lint.rules import (
    bodies,
    components,
    examples,
    operations,
    pagination,
    paths,
    responses,
    schemas,
)

CHECKS: tuple[Check, ...] = (
    operations.check,
    paths.check,
    responses.check,
    schemas.check,
    examples.check,
    components.check,
    pagination.check,
    bodies.check,
)
