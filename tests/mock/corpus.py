"""The @readme/oas-examples specs the generator accepts, generated for the mock host."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from codegen.generation import Target, plan
from tests.support.npm import npm_package

# The version tests/servicekit/test_oas_examples.py pins (that module imports
# Django at import time, so it is not imported here).
OAS_EXAMPLES_VERSION = "8.2.2"


def corpus() -> list[Path]:
    root = npm_package("@readme/oas-examples", OAS_EXAMPLES_VERSION)
    return sorted((root / "3.0" / "json").glob("*.json")) + sorted(
        (root / "3.1" / "json").glob("*.json")
    )


def package_name(spec: Path) -> str:
    """``3.1/json/petstore.json`` -> ``sf_mock_31_petstore``."""
    version = spec.parent.parent.name.replace(".", "")
    return "sf_mock_" + version + "_" + re.sub(r"\W", "_", spec.stem).lower()


def accepted_specs(root: Path) -> dict[str, Path]:
    """Generate every corpus spec the generator accepts into ``root``:
    package name -> spec (refused specs are left out)."""
    accepted: dict[str, Path] = {}
    for spec in corpus():
        name = package_name(spec)
        outcome = plan([Target(spec, root / name, app=True)])
        if outcome.failed:
            continue
        for fileset in outcome.filesets:
            fileset.write()
        accepted[name] = spec
    return accepted


def host_argv(port: int, root: Path, seed: int, specs: dict[str, Path]) -> list[str]:
    pairs = [f"{name}={spec}" for name, spec in specs.items()]
    return [sys.executable, "-m", "tests.mock.mock_host", str(port), str(root), str(seed), *pairs]
