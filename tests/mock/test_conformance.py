"""schemathesis' response-conformance checks against ``specfirst serve --mock``,
started as real processes on 127.0.0.1: the reference specs (one
``specfirst serve --mock`` process each) and every @readme/oas-examples spec the
generator accepts (one process hosting them all, ``tests/mock/mock_host.py``).

Two kinds of findings are not the mock's to fix and are counted apart:
operations for which no conforming answer exists (no response declared, only
1xx/5xx declared, or an unsatisfiable response schema: the mock answers 501
problem+json saying which), and requests the runtime rejects (400/415/422)
that schemathesis thought valid (e.g. ``format: uint8`` it does not know)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.designer.mock.responder import CannotMock, MockRequest
from codegen.designer.mock.state import MockEngine, engine_for_spec
from codegen.verify.contract.results import CheckFailure, TargetResult
from tests.conftest import free_port
from tests.mock.corpus import accepted_specs, host_argv
from tests.mock.servers import SPECFIRST, check_conformance, describe, running

REFERENCE_SPECS = sorted((Path(__file__).resolve().parents[2] / "specs").glob("*.yaml"))
REJECTED = {400, 415, 422}


def unmockable(engine: MockEngine) -> set[str]:
    """Labels (``"GET /x"``) of operations no answer can conform for."""
    labels: set[str] = set()
    for (method, path), operation in engine.operations.items():
        codes = [k for k in operation.responses if k[0].isdigit()]
        only_errors = (
            codes and all(k[0] in "15" for k in codes) and "default" not in operation.responses
        )
        try:
            engine.responder.answer(operation, MockRequest(method, path))
        except CannotMock:
            labels.add(f"{method.upper()} {path}")
            continue
        if only_errors:
            labels.add(f"{method.upper()} {path}")
    return labels


def real_failures(result: TargetResult, excused: set[str]) -> list[CheckFailure]:
    return [
        f
        for f in result.failures
        if f.operation.split("#")[0] not in excused
        and not (f.check == "status_code_conformance" and f.status in REJECTED)
    ]


@pytest.mark.slow
@pytest.mark.contract
@pytest.mark.e2e
@pytest.mark.parametrize("spec", REFERENCE_SPECS, ids=lambda p: p.stem)
def test_reference_spec_mock_conforms(spec: Path, tmp_path: Path) -> None:
    port = free_port()
    argv = [*SPECFIRST, "serve", str(spec), "--mock", "--seed", "3", "--port", str(port)]
    with running(argv, port, tmp_path / "serve.log"):
        result = check_conformance(spec, f"http://127.0.0.1:{port}", max_examples=3)
    assert result.cases > 0
    assert result.ok, describe(result)


@pytest.mark.slow
@pytest.mark.contract
@pytest.mark.e2e
def test_every_accepted_oas_example_mock_conforms(tmp_path: Path) -> None:
    specs = accepted_specs(tmp_path)
    port = free_port()
    problems: list[str] = []
    conforming = excused_total = rejected = 0
    with running(host_argv(port, tmp_path, 0, specs), port, tmp_path / "host.log", timeout=180):
        for name, spec in specs.items():
            excused = unmockable(engine_for_spec(spec.as_posix()))
            excused_total += len(excused)
            result = check_conformance(
                spec, f"http://127.0.0.1:{port}/{name}", max_examples=2, budget=20
            )
            failures = real_failures(result, excused)
            rejected += sum(
                f.check == "status_code_conformance" and f.status in REJECTED
                for f in result.failures
            )
            if failures:
                # schemathesis' own errors (request data it cannot generate) are
                # shown with the failures but do not fail the spec on their own
                result.failures[:] = failures
                problems.append(describe(result))
            else:
                conforming += 1
    print(
        f"\nmock conformance: {conforming} of {len(specs)} accepted oas-examples specs pass; "
        f"{excused_total} operation(s) have no conforming answer; "
        f"{rejected} request(s) schemathesis thought valid were rejected by validation"
    )
    assert specs, "the generator accepted no spec at all"
    assert not problems, "\n".join(problems)
