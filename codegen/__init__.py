"""specfirst's code generator: OpenAPI spec → validated IR → generated code.

The public entry points, re-exported for callers outside ``codegen``::

    from codegen import load_api
    api, diagnostics = load_api("specs/orders.yaml")

``load_api`` loads the spec (and every file it references), validates it
and builds the IR (:class:`codegen.ir.model.Api`). It returns ``None`` for
the API only when a finding blocks generation (see
:mod:`codegen.spec.policy`); the findings it returns are already adjusted
for generation (non-blocking errors are warnings).
"""

from __future__ import annotations

import os

from codegen.diagnostics import Diagnostic
from codegen.ir.build import build_api
from codegen.ir.model import Api
from codegen.spec.bundle import bundle
from codegen.spec.loader import LoadedSpec, SpecFile, load_spec
from codegen.spec.policy import for_generation, is_blocking
from codegen.spec.validate import combine, validate_spec

__all__ = [
    "Api",
    "LoadedSpec",
    "SpecFile",
    "build_api",
    "bundle",
    "for_generation",
    "is_blocking",
    "load_api",
    "load_spec",
    "validate_spec",
]


def load_api(
    path: str | os.PathLike[str], *, validate: bool = True
) -> tuple[Api | None, list[Diagnostic]]:
    """Load, validate and build in one call.

    ``validate=False`` skips the validation passes (the loader still checks
    every ``$ref``), for callers that validated already.
    """
    loaded, diagnostics = load_spec(path)
    if loaded is None:
        return None, diagnostics
    if validate:
        diagnostics.extend(validate_spec(loaded))
    api, build_diagnostics = build_api(loaded)
    findings = for_generation(combine(diagnostics, build_diagnostics))
    if api is None or any(is_blocking(d) for d in findings):
        return None, findings
    return api, findings
