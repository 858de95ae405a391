"""The @readme/oas-examples specs the generator accepts, generated for the mock host."""

from __future__ import annotations

import sys
from pathlib import Path

from codegen.generator.generation import Target, plan
from tests.support.oas_examples import corpus, package_name


def accepted_specs(root: Path) -> dict[str, Path]:
    """Generate every corpus spec the generator accepts into ``root``:
    package name -> spec (refused specs are left out)."""
    accepted: dict[str, Path] = {}
    for spec in corpus():
        name = package_name(spec, "sf_mock")
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
