"""``load_api``: load, validate and build one spec in a single call.

This is what ``generate`` and ``serve`` use: the findings come back adjusted
for generation (:func:`codegen.core.spec.policy.for_generation`), and the API is
``None`` only when one of them blocks (a broken ``$ref``, a path parameter
missing from its template, ...). Example::

    api, findings = load_api("specs/orders.yaml")
    # api: codegen.core.ir.model.Api | None; findings: list[Diagnostic], sorted
"""

from __future__ import annotations

import os

from codegen.core.diagnostics import Diagnostic
from codegen.core.forked import Forked
from codegen.core.ir.build import build_api
from codegen.core.ir.model import Api
from codegen.core.spec.loader import load_spec
from codegen.core.spec.policy import for_generation, is_blocking
from codegen.core.spec.validate import combine, validate_spec


def load_api(
    path: str | os.PathLike[str],
    *,
    validate: bool = True,
    strict: bool = False,
    examples: bool = True,
    concurrently: bool = False,
) -> tuple[Api | None, list[Diagnostic]]:
    """Load, validate and build in one call.

    ``validate=False`` skips the validation passes (the loader still checks
    every ``$ref``), for callers that validated already; ``strict=True``
    downgrades nothing (``generate --strict``); ``examples=False`` leaves
    examples unchecked (``serve``: SF121 is a warning that changes nothing
    it serves); ``concurrently=True`` validates in a forked child while this
    process builds the IR (:mod:`codegen.core.forked`): the same findings,
    on two cores.
    """
    loaded, diagnostics = load_spec(path)
    if loaded is None:
        return None, diagnostics
    spec = loaded

    def validation() -> list[Diagnostic]:
        return validate_spec(spec, examples=examples) if validate else []

    if concurrently and validate:
        pending = Forked(validation)
        api, build_diagnostics = build_api(spec)
        diagnostics.extend(pending.result())
    else:
        diagnostics.extend(validation())
        api, build_diagnostics = build_api(spec)
    findings = for_generation(combine(diagnostics, build_diagnostics), strict=strict)
    if api is None or any(is_blocking(d, strict=strict) for d in findings):
        return None, findings
    return api, findings
