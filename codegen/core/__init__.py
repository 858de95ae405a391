"""Core layer: what every other part shares, and nothing of theirs.

Spec loading with line numbers (``spec/``), diagnostics, the IR (``ir/``), the user
error type (``errors``) and the project configuration (``project``). It imports no
other ``codegen`` layer, no gateway and no servicekit, and never Django, DRF or Jinja.

The public entry points, re-exported for callers outside the core::

    from codegen.core import load_api
    api, diagnostics = load_api("specs/orders.yaml")

``load_api`` (:mod:`codegen.core.loading`) loads the spec and every file it
references, validates it and builds the IR (:class:`codegen.core.ir.model.Api`).
The names are imported on first use, so importing a small module such as
``codegen.core.spec.pointer`` does not load the validators.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codegen.core.ir.build import build_api
    from codegen.core.ir.model import Api
    from codegen.core.loading import load_api
    from codegen.core.spec.bundle import bundle
    from codegen.core.spec.loader import LoadedSpec, SpecFile, load_spec
    from codegen.core.spec.policy import for_generation, is_blocking
    from codegen.core.spec.validate import validate_spec

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

_HOMES = {
    "Api": "codegen.core.ir.model",
    "LoadedSpec": "codegen.core.spec.loader",
    "SpecFile": "codegen.core.spec.loader",
    "build_api": "codegen.core.ir.build",
    "bundle": "codegen.core.spec.bundle",
    "for_generation": "codegen.core.spec.policy",
    "is_blocking": "codegen.core.spec.policy",
    "load_api": "codegen.core.loading",
    "load_spec": "codegen.core.spec.loader",
    "validate_spec": "codegen.core.spec.validate",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'codegen' has no attribute {name!r}")
