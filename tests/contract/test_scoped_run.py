"""``specfirst test catalog --base-port N``: catalog, then the gateway's operations routed
to catalog only, every process on the port ``specfirst up`` would give it."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.core.openapi import HTTP_METHODS
from codegen.core.spec.loader import load_spec
from tests.conftest import free_port

REPO = Path(__file__).resolve().parents[2]
SPECFIRST = str(Path(sys.executable).with_name("specfirst"))

pytestmark = [pytest.mark.contract, pytest.mark.e2e]


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, contextlib.suppress(OSError):
        sock.bind(("127.0.0.1", port))
        return True
    return False


def _free_base(count: int) -> int:
    """A port whose next ``count`` ports are free too (a bounded search)."""
    for _ in range(20):
        base = free_port()
        if base + count < 65536 and all(_bindable(base + i) for i in range(count + 1)):
            return base
    raise AssertionError("no run of free ports on 127.0.0.1")


def _operation_ids(spec: Path) -> set[str]:
    loaded, _ = load_spec(spec)
    assert loaded is not None
    return {
        str(operation["operationId"])
        for item in loaded.root.data["paths"].values()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def test_one_service_and_only_the_gateway_operations_routed_to_it() -> None:
    base = _free_base(3)
    done = subprocess.run(
        [
            *(SPECFIRST, "test", "catalog", "--seed", "3", "--max-examples", "1"),
            *("--time-budget", "30", "--base-port", str(base), "--json"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # the reference configuration puts catalog on 8001: base + 1 (specfirst up's rule)
    assert f"starting catalog on http://127.0.0.1:{base + 1} (SQLite)" in done.stderr
    assert f"starting the gateway on http://127.0.0.1:{base}" in done.stderr
    assert "starting customers" not in done.stderr
    report = json.loads(done.stdout)
    service, gateway = report["targets"]
    assert (service["name"], gateway["name"]) == ("catalog", "gateway")
    tested = {op["operationId"] for op in gateway["operations"]}
    assert tested == _operation_ids(REPO / "specs" / "catalog.yaml")
    assert gateway["cases"] > 0
