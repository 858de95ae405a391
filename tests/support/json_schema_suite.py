"""The JSON-Schema-Test-Suite's draft2020-12 tests, served by a generated app.

The suite ships inside the ``jsonschema`` source distribution on PyPI (under
``json/``); :func:`suite_root` downloads it once with ``pip download`` into
``.cache/pypi`` at the repository root (gitignored; override with
``SPECFIRST_PYPI_CACHE``) and reuses it.

Each test case (one schema, several instances) becomes a 3.1 spec whose only
operation, ``POST /case``, takes a JSON body described by the case's schema,
written to ``case.json`` next to the spec (so that ``#/$defs/...`` and ``#``
name the schema's own resource, as they do in the suite). The suite's remote
documents (``http://localhost:1234/...``), where a case refers to them, are
embedded in the spec under ``components/schemas`` with their URI as ``$id``,
so that ``$ref`` reaches them by identifier, never by fetching.
:func:`judge_case` sends one request per instance through Django's test
client: a valid instance must reach the handler (the stub's 501), an invalid
one must get 400 or 422.

``format.json`` is left out: ``format`` is an annotation in the suite, while
specfirst asserts formats (and tests that elsewhere).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from referencing import Registry
from referencing.jsonschema import DRAFT202012

REPO_ROOT = Path(__file__).resolve().parents[2]
REMOTE_BASE = "http://localhost:1234/"
LEFT_OUT = frozenset({"format.json"})


def _cache_root() -> Path:
    return Path(os.environ.get("SPECFIRST_PYPI_CACHE", REPO_ROOT / ".cache" / "pypi"))


def suite_root() -> Path:
    """The ``json/`` directory of the installed jsonschema's sdist."""
    version = metadata.version("jsonschema")
    root = _cache_root() / f"jsonschema-{version}"
    marker = root / ".extracted"
    if marker.exists():
        return root / "json"
    root.parent.mkdir(parents=True, exist_ok=True)
    with (root.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers download one at a time
        if marker.exists():
            return root / "json"
        download = root.parent / "downloads"
        result = subprocess.run(
            [
                *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
                *("--no-binary", ":all:", "--dest", str(download), f"jsonschema=={version}"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        sdist = download / f"jsonschema-{version}.tar.gz"
        if result.returncode != 0 or not sdist.is_file():
            _unavailable(f"pip download jsonschema=={version} failed: {result.stderr[-500:]}")
        shutil.rmtree(root, ignore_errors=True)
        with tarfile.open(sdist) as archive:
            members = [m for m in archive.getmembers() if "/json/" in m.name]
            archive.extractall(root.parent, members=members, filter="data")
        marker.touch()
    return root / "json"


def _unavailable(reason: str) -> None:
    if os.environ.get("SPECFIRST_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass(frozen=True)
class Case:
    """One schema of the suite and its instances: ``(description, data, valid)``."""

    file: str
    index: int
    description: str
    schema: Any
    tests: tuple[tuple[str, Any, bool], ...]

    @property
    def label(self) -> str:
        return f"{self.file}#{self.index}"


def cases(root: Path) -> list[Case]:
    """Every case of the draft2020-12 directory (not ``optional/``), in order."""
    found = []
    for path in sorted((root / "tests" / "draft2020-12").glob("*.json")):
        if path.name in LEFT_OUT:
            continue
        for index, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            tests = tuple((t["description"], t["data"], t["valid"]) for t in case["tests"])
            found.append(Case(path.name, index, case["description"], case["schema"], tests))
    return found


def remotes(root: Path) -> dict[str, Any]:
    """The suite's remote documents by URI (what its own runner registers):
    those of draft 2020-12 and those of no particular draft."""
    base = root / "remotes"
    paths = [*base.glob("*.json"), *(base / "draft2020-12").rglob("*.json")]
    return {
        REMOTE_BASE + path.relative_to(base).as_posix(): json.loads(path.read_text("utf-8"))
        for path in sorted(paths)
    }


def write_spec(case: Case, directory: Path, remote_documents: dict[str, Any]) -> Path:
    """The spec serving ``case`` (see the module docstring); returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "case.json").write_text(json.dumps(case.schema), encoding="utf-8")
    uses_remotes = REMOTE_BASE in json.dumps(case.schema)
    embedded = {
        f"Remote{index}": {**document, "$id": uri}
        for index, (uri, document) in enumerate(remote_documents.items())
        if uses_remotes and isinstance(document, dict)
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": case.label, "version": "1"},
        "paths": {
            "/case": {
                "post": {
                    "operationId": "case",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "case.json"}}},
                    },
                    "responses": {"204": {"description": "accepted"}},
                }
            }
        },
        "components": {"schemas": embedded},
    }
    path = directory / "openapi.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


def judge_case(client: Any, case: Case) -> Iterator[tuple[str, bool, int]]:
    """``(test description, expected validity, status)`` for each instance."""
    for description, data, valid in case.tests:
        response = client.post("/case", json.dumps(data), content_type="application/json")
        yield description, valid, response.status_code


def jsonschema_agrees(case: Case, remote_documents: dict[str, Any]) -> dict[str, bool]:
    """Whether ``jsonschema`` itself (with the suite's remotes registered, as
    its own test runner does) gets each instance right, by description."""
    registry: Registry[Any] = Registry().with_resources(
        (uri, DRAFT202012.create_resource(document)) for uri, document in remote_documents.items()
    )
    validator = validator_for(case.schema, default=Draft202012Validator)(
        case.schema, registry=registry
    )
    return {
        description: validator.is_valid(data) == valid for description, data, valid in case.tests
    }


def agrees(valid: bool, status: int) -> bool:
    """A valid instance reaches the stub (501); an invalid one is refused."""
    return status == 501 if valid else status in (400, 422)
