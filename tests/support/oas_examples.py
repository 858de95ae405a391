"""The @readme/oas-examples corpus of real-world specs: its pinned version, the
OpenAPI 3.0/3.1 JSON documents in it, and a unique module name per document.
Free of Django so that any test package can import it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.npm import npm_package

OAS_EXAMPLES_VERSION = "8.2.2"


def corpus() -> list[Path]:
    """Every 3.0 and 3.1 JSON spec, sorted (installs the package on first use)."""
    root = npm_package("@readme/oas-examples", OAS_EXAMPLES_VERSION)
    return sorted((root / "3.0" / "json").glob("*.json")) + sorted(
        (root / "3.1" / "json").glob("*.json")
    )


def package_name(spec: Path, prefix: str) -> str:
    """``3.1/json/petstore.json`` with prefix ``sf_mock`` -> ``sf_mock_31_petstore``."""
    version = spec.parent.parent.name.replace(".", "")
    return f"{prefix}_{version}_" + re.sub(r"\W", "_", spec.stem).lower()
