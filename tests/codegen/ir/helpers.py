"""Build an IR from an inline spec, for the IR tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen.core.diagnostics import Diagnostic
from codegen.core.ir.build import build_api
from codegen.core.ir.model import Api
from codegen.core.spec.loader import load_spec


def build(
    tmp_path: Path, doc: dict[str, Any], name: str = "spec.json"
) -> tuple[Api, list[Diagnostic]]:
    """Write ``doc`` as JSON, load it and build its IR (which must exist)."""
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    loaded, diagnostics = load_spec(path)
    assert loaded is not None, diagnostics
    api, build_diagnostics = build_api(loaded)
    assert api is not None, build_diagnostics
    return api, diagnostics + build_diagnostics


def spec(
    version: str = "3.1.0",
    *,
    schemas: dict[str, Any] | None = None,
    paths: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": paths or {},
    }
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc
