"""specfirst's code generator: OpenAPI spec → validated IR → generated code.

The public entry points, re-exported for callers outside ``codegen``::

    from codegen import load_api
    api, diagnostics = load_api("specs/orders.yaml")

``load_api`` (:mod:`codegen.loading`) loads the spec and every file it
references, validates it and builds the IR (:class:`codegen.ir.model.Api`).
The names are imported on first use, so importing a small module such as
``codegen.spec.pointer`` does not load the validators.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codegen.ir.build import build_api
    from codegen.ir.model import Api
    from codegen.loading import load_api
    from codegen.spec.bundle import bundle
    from codegen.spec.loader import LoadedSpec, SpecFile, load_spec
    from codegen.spec.policy import for_generation, is_blocking
    from codegen.spec.validate import validate_spec

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
    "Api": "codegen.ir.model",
    "LoadedSpec": "codegen.spec.loader",
    "SpecFile": "codegen.spec.loader",
    "build_api": "codegen.ir.build",
    "bundle": "codegen.spec.bundle",
    "for_generation": "codegen.spec.policy",
    "is_blocking": "codegen.spec.policy",
    "load_api": "codegen.loading",
    "load_spec": "codegen.spec.loader",
    "validate_spec": "codegen.spec.validate",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'codegen' has no attribute {name!r}")
