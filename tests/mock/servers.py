"""Starting mock servers as real processes on 127.0.0.1 ephemeral ports,
and running schemathesis' response-conformance checks against them."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from codegen.core.spec.bundle import bundle
from codegen.core.spec.loader import load_spec
from codegen.verify.contract.engine import RunOptions, run_target
from codegen.verify.contract.results import TargetResult

REPO = Path(__file__).resolve().parents[2]
SPECFIRST = [str(Path(sys.executable).with_name("specfirst"))]
CONFORMANCE_CHECKS = (
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "not_a_server_error",
)


def wait_listening(process: subprocess.Popen[bytes], port: int, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise AssertionError(f"server did not listen within {timeout}s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def running(argv: Sequence[str], port: int, log: Path, timeout: float = 90) -> Iterator[None]:
    """Run ``argv`` until the block ends; it must listen on 127.0.0.1:``port``."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(argv), cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        wait_listening(process, port, log, timeout)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def conformance_config(base_url: str, seed: int, max_examples: int) -> dict[str, Any]:
    """Only the response-conformance checks, positive data, no stateful phase."""
    return {
        "seed": seed,
        "base-url": base_url,
        "request-timeout": 20.0,
        "generation": {"mode": "positive", "max-examples": max_examples},
        "checks": {
            "enabled": False,
            **{name: {"enabled": True} for name in CONFORMANCE_CHECKS},
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }


def check_conformance(
    spec: Path, base_url: str, *, seed: int = 1, max_examples: int = 3, budget: float = 60
) -> TargetResult:
    loaded, _ = load_spec(spec.as_posix())
    assert loaded is not None
    options = RunOptions(seed=seed, max_examples=max_examples, time_budget=budget)
    config = conformance_config(base_url, seed, max_examples)
    return run_target(spec.name, bundle(loaded), base_url, options, config)


def describe(result: TargetResult) -> str:
    lines = [f"{result.name}: {len(result.failures)} failure(s), {result.cases} case(s)"]
    lines += [f"  {f.operation} {f.check}: {f.title}: {f.message[:300]}" for f in result.failures]
    lines += [f"  error: {e[:300]}" for e in result.errors]
    return "\n".join(lines)
