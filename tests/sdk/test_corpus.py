"""Real-world specs: every spec of the npm package ``@readme/oas-examples``
that the loader accepts yields an SDK that imports and passes
``mypy --strict`` and ``ruff check`` (one mypy run over all of them).

Specs the loader refuses (blocking errors) must be refused cleanly, as a
``SpecRejected`` with diagnostics, never as a crash.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.generator.output import FileSet, _ruff
from codegen.generator.sdk import render_sdk
from codegen.generator.sdk.source import SpecRejected, from_spec
from tests.support.npm import npm_package

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

OAS_EXAMPLES_VERSION = "8.2.2"  # as tests/mock/corpus.py


def test_oas_examples_sdks_are_strictly_typed(tmp_path: Path) -> None:
    root = npm_package("@readme/oas-examples", OAS_EXAMPLES_VERSION)
    specs = sorted((root / "3.0" / "json").glob("*.json"))
    specs += sorted((root / "3.1" / "json").glob("*.json"))
    generated, refused = [], []
    for spec in specs:
        version = spec.parent.parent.name.replace(".", "")
        stem = re.sub(r"\W", "_", spec.stem).lower()
        package = f"oas_{version}_{stem}"
        try:
            loaded = from_spec(spec)
        except SpecRejected as exc:
            assert exc.diagnostics, spec
            refused.append(spec.name)
            continue
        files = render_sdk(loaded.api, loaded.source, package, package.replace("_", "-"))
        FileSet(tmp_path / package, files).write()
        generated.append(package)
    print(f"{len(generated)} SDKs generated, {len(refused)} specs refused: {refused}")
    assert len(generated) >= 45  # the corpus has 53 specs; two have blocking errors

    sources = [str(tmp_path / package / package) for package in generated]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent",
         "--cache-dir", str(tmp_path / ".mypy"), *sources],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout[-5000:] + mypy.stderr
    ruff = subprocess.run(
        [_ruff(), "check", "--isolated", "--no-cache", *sources],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout[-5000:]
