"""One service's spec as composition sees it, and how diagnostics cite it.

A :class:`SourceSpec` is a bundled, self-contained document (external
``$ref``s already pulled in by the loader) plus a ``locate`` function that
maps a JSON pointer back to ``file:line:column``. Tests build them from plain
dicts with :func:`from_dict`; the gateway builds them with
:func:`gateway.compose.load.load_sources`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from codegen.core.diagnostics import Diagnostic, Severity, SourceLocation
from gateway.config import ServiceConfig

Locate = Callable[[str], SourceLocation]


@dataclass(frozen=True)
class SourceSpec:
    service: ServiceConfig
    display: str
    document: dict[str, Any]
    locate: Locate

    @property
    def name(self) -> str:
        return self.service.name

    def cite(self, pointer: str) -> str:
        """``specs/a.yaml:12:5 #/paths/~1items/get`` for messages naming two places."""
        return str(self.locate(pointer))


def from_dict(
    name: str, document: dict[str, Any], display: str | None = None, prefix: str = ""
) -> SourceSpec:
    """A source without line information (line 1, column 1), for tests and
    documents that did not come from a file."""
    shown = display or f"specs/{name}.yaml"
    return SourceSpec(
        ServiceConfig(name, None, prefix),
        shown,
        document,
        lambda pointer: SourceLocation(shown, 1, 1, pointer),
    )


def diagnostic(
    code: str,
    source: SourceSpec,
    pointer: str,
    message: str,
    *,
    hint: str | None = None,
    severity: Severity = Severity.ERROR,
) -> Diagnostic:
    return Diagnostic(code, severity, message, source.locate(pointer), hint)
