"""``specfirst serve``: a real process on 127.0.0.1 validating and answering 501."""

from __future__ import annotations

import contextlib
import importlib.util
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from servicekit.contract.serve import make_importable

from codegen.cli.commands.serve import generate_package
from codegen.core.strictness import UNKNOWN_DETAIL
from codegen.generator.generation import Target, plan
from tests.conftest import free_port
from tests.problems.resolve import assert_type_resolves

SPEC = """
openapi: 3.0.3
info: {title: Served, version: "1"}
paths:
  /notes/{id}:
    put:
      operationId: putNote
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [text]
              properties: {text: {type: string, maxLength: 3}}
      responses:
        "200": {description: OK.}
"""


@contextlib.contextmanager
def served(*args: str) -> Iterator[str]:
    """``specfirst serve ARGS`` on a free port until the block ends; yields its base URL."""
    port = free_port()
    specfirst = str(Path(sys.executable).parent / "specfirst")
    process = subprocess.Popen(
        [specfirst, "serve", *args, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base, timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.e2e
def test_serve_validates_then_answers_501(write_spec: Callable[..., Path]) -> None:
    with served(str(write_spec(SPEC))) as base:
        response = httpx.put(f"{base}/notes/1", json={"text": "abcd"})
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"] == [
            {"pointer": "/text", "detail": "Ensure this value has at most 3 characters."}
        ]
        assert_type_resolves(base, response.json()["type"])
        response = httpx.put(f"{base}/notes/1", json={"text": "abc"})
        assert response.status_code == 501
        assert response.json()["detail"] == "Operation putNote is not implemented yet."
        assert httpx.get(f"{base}/notes/1").status_code == 405
        assert httpx.get(f"{base}/elsewhere").json()["status"] == 404
        assert_type_resolves(base, httpx.get(f"{base}/elsewhere").json()["type"])


@pytest.mark.e2e
@pytest.mark.parametrize("mock", [False, True], ids=["stubs", "mock"])
def test_serve_reads_the_query_policy_of_the_project_at_root(
    write_spec: Callable[..., Path], tmp_path: Path, mock: bool
) -> None:
    spec = str(write_spec(SPEC))
    extra = ["--mock"] if mock else []
    with served(spec, *extra) as base:  # no configuration: reject
        refused = httpx.put(f"{base}/notes/1?trace=1", json={"text": "abc"})
        assert refused.status_code == 400
        assert refused.json()["errors"] == [
            {"parameter": "trace", "in": "query", "detail": UNKNOWN_DETAIL}
        ]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst.validation]\nunknown_query = "ignore"\n', encoding="utf-8"
    )
    with served(spec, *extra, "--root", str(tmp_path)) as base:
        passed = httpx.put(f"{base}/notes/1?trace=1", json={"text": "abc"})
        assert passed.status_code == (200 if mock else 501), passed.text


def test_the_served_package_is_compiled_before_it_is_imported(
    write_spec: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every generated module has its bytecode (compiled by several processes)
    before Django imports the package, and the package is importable."""
    spec = write_spec(SPEC)
    result = plan([Target(spec, tmp_path / "served_api", app=True)], formatted=False)
    for fileset in result.filesets:
        fileset.write()
    monkeypatch.setattr(sys, "path", list(sys.path))
    make_importable(tmp_path, "served_api")
    assert sys.path[0] == str(tmp_path)
    for module in sorted((tmp_path / "served_api").glob("*.py")):
        assert Path(importlib.util.cache_from_source(str(module))).is_file(), module.name


def test_serve_leaves_examples_unchecked(
    write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``serve`` reports a default its schema rejects (SF120) but does not check
    examples (SF121, which ``validate`` reports), and writes the package."""
    spec = write_spec(
        SPEC.replace(
            "properties: {text: {type: string, maxLength: 3}}",
            "properties: {text: {type: string, maxLength: 3, default: abcd, example: abcdef}}",
        )
    )
    generate_package(spec, tmp_path / "served_api", strict=False)
    findings = capsys.readouterr().err
    assert "SF120" in findings
    assert "SF121" not in findings
    assert (tmp_path / "served_api" / "urls.py").is_file()
