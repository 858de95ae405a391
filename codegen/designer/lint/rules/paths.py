"""Path template rules: path parameters declared (SF306) and used (SF307),
and no two templates that differ only in parameter names (SF308).

Example: ``/orders/{id}`` with a parameter ``{name: orderId, in: path}``
yields SF306 for ``{id}`` and SF307 for ``orderId``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from codegen.designer.lint.document import Document
from codegen.designer.lint.findings import Finding
from codegen.designer.lint.rules.operations import describe

TEMPLATE_VARIABLE = re.compile(r"\{([^{}]+)\}")


def template_shape(path: str) -> str:
    """The template with parameter names erased: ``/a/{x}/b`` → ``/a/{}/b``."""
    return TEMPLATE_VARIABLE.sub("{}", path)


def check(doc: Document) -> Iterator[Finding]:
    reported: set[tuple[str, str]] = set()  # a path-level parameter is reported once
    for op in doc.operations():
        variables = TEMPLATE_VARIABLE.findall(op.path)
        declared = {
            param.get("name"): raw for raw, param in doc.parameters(op) if param.get("in") == "path"
        }
        for variable in dict.fromkeys(variables):
            if variable not in declared:
                yield Finding(
                    "SF306",
                    f"{describe(op)}: path variable {{{variable}}} has no `in: path` parameter",
                    op.node,
                )
        for name, raw in declared.items():
            if name not in variables and raw.key not in reported:
                reported.add(raw.key)
                yield Finding(
                    "SF307",
                    f"{describe(op)}: path parameter {name!r} does not appear in the template",
                    raw,
                )
    first: dict[str, str] = {}
    for path, node in doc.root.child("paths").items():
        shape = template_shape(path)
        if shape in first:
            yield Finding(
                "SF308",
                f"path {path!r} matches the same requests as {first[shape]!r} "
                "(the templates differ only in parameter names)",
                node,
            )
        else:
            first[shape] = path
