"""docs/quickstart.md, step by step, with the page's own snippets, in a throwaway project.

Step 1 (``specfirst up`` on the repository) is tests/up/test_up_e2e.py; this test
runs steps 2 and 3: ``specfirst new``, the checks, the YAML and Python snippets of
the page pasted where the page says, and the new endpoint called through the gateway.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.up.procs import OutputLog

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

QUICKSTART = REPO_ROOT / "docs" / "quickstart.md"
BIN = Path(sys.executable).parent
README_START = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/specfirst up"
# Every command of the page, in order (the test runs each of them below).
COMMANDS = [
    README_START,
    "curl http://127.0.0.1:8000/categories",
    ".venv/bin/specfirst new inventory",
    ".venv/bin/specfirst lint specs/inventory.yaml",
    ".venv/bin/specfirst generate --check",
    ".venv/bin/specfirst drift inventory",
    ".venv/bin/specfirst test inventory",
    "curl http://127.0.0.1:8000/inventory/items",
    ".venv/bin/specfirst generate",
    "curl -X POST http://127.0.0.1:8000/inventory/items -H 'X-API-Key: specfirst-dev-api-key'",
]


def snippet(name: str) -> str:
    """The fenced block right after ``<!-- quickstart: NAME -->`` on the page."""
    text = QUICKSTART.read_text(encoding="utf-8")
    match = re.search(rf"<!-- quickstart: {name} -->\n```\w+\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/quickstart.md has no '{name}' snippet"
    return match.group(1)


def specfirst(root: Path, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "specfirst"), *args], cwd=root, capture_output=True, text=True,
        timeout=300, check=False, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert done.returncode == 0, f"specfirst {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_the_page_lists_the_tested_commands() -> None:
    text = QUICKSTART.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert command in text, command
    assert README_START in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_quickstart_new_service_and_endpoint(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")

    # 2. Add a service; every check accepts it as written.
    specfirst(root, "new", "inventory")
    specfirst(root, "lint", "specs/inventory.yaml")
    specfirst(root, "generate", "--check")
    assert "inventory: no drift" in specfirst(root, "drift", "inventory")

    # 3. Add an endpoint: the page's YAML under the path, the page's handler in the ViewSet.
    spec = root / "specs" / "inventory.yaml"
    anchor = "  /inventory/items:\n"
    assert spec.read_text().count(anchor) == 1
    spec.write_text(spec.read_text().replace(anchor, anchor + snippet("spec-post")))
    views = root / "services" / "inventory" / "inventory" / "api" / "views.py"
    assert (
        views.read_text()
        .rstrip()
        .endswith("return Reply(200, page(items, limit, offset, item_json))")
    )
    imports = "from inventory.api._generated import replies, stubs\n"
    assert views.read_text().count(imports) == 1
    views.write_text(
        views.read_text().replace(imports, snippet("handler-import")) + "\n" + snippet("handler")
    )
    assert "0 error(s), 0 warning(s)" in specfirst(root, "lint", "specs/inventory.yaml")
    specfirst(root, "generate")
    tested = specfirst(root, "test", "inventory", "--max-examples", "5")
    assert "createInventoryItem" in tested and "all passed" in tested

    up = subprocess.Popen(
        [str(BIN / "specfirst"), "up", "--base-port", "0"], cwd=root,
        env={**os.environ, "NO_COLOR": "1"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    log = OutputLog(up)
    try:
        log.wait_for(r"ready in", timeout=120)
        gateway = log.wait_for(r"\|\s+gateway\s+(http://\S+)").group(1)
        items = gateway + "/inventory/items"
        refused = httpx.post(items, json={"name": "first"}, timeout=10)
        assert refused.status_code == 401, refused.text
        created = httpx.post(
            items, json={"name": "first"}, headers={"X-API-Key": "specfirst-dev-api-key"},
            timeout=10,
        )  # fmt: skip
        assert created.status_code == 201, created.text
        assert created.headers["Location"] == f"/inventory/items/{created.json()['id']}"
        listed = httpx.get(items, timeout=10).json()
        assert listed["total"] == 1 and listed["items"][0]["name"] == "first"
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=30)
        log.close()
