"""Real-world specs (npm ``@readme/oas-examples``) through load → validate →
build: each either becomes an IR or is refused with a located, blocking
finding; nothing crashes, and Swagger 2.0 is refused as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.core import load_api
from codegen.core.diagnostics import Severity
from codegen.core.spec.policy import is_blocking
from tests.support.npm import npm_package

PACKAGE, VERSION = "@readme/oas-examples", "8.2.2"


@pytest.fixture(scope="module")
def corpus() -> Path:
    return npm_package(PACKAGE, VERSION)


def specs(root: Path, version: str) -> list[Path]:
    return sorted((root / version).glob("json/*.json")) + sorted(
        (root / version).glob("yaml/*.yaml")
    )


@pytest.mark.slow
def test_openapi_3_specs_build_or_are_refused_with_a_reason(corpus: Path) -> None:
    built, refused = [], []
    for path in specs(corpus, "3.0") + specs(corpus, "3.1"):
        api, diagnostics = load_api(path)
        if api is not None:
            assert not any(is_blocking(d) for d in diagnostics), path
            assert api.source_file == str(path)
            built.append(path)
            continue
        blocking = [d for d in diagnostics if is_blocking(d)]
        assert blocking, f"{path} refused without a blocking finding"
        for diagnostic in blocking:
            assert diagnostic.location.file.endswith((".json", ".yaml"))
            assert diagnostic.location.line >= 1
            assert diagnostic.message
        refused.append(path)
    assert len(built) + len(refused) >= 100
    assert len(built) >= 0.9 * (len(built) + len(refused))


@pytest.mark.slow
def test_swagger_2_specs_are_refused_as_swagger(corpus: Path) -> None:
    paths = specs(corpus, "2.0")
    assert paths
    for path in paths:
        api, diagnostics = load_api(path)
        assert api is None
        assert [(d.code, d.severity) for d in diagnostics] == [("SF005", Severity.ERROR)]
