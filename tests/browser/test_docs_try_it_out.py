"""The gateway's ``/docs`` in a real browser: every operation listed, and "Try it out" works.

Starts the whole system with ``specfirst up`` (databases in tmp_path), seeds one
category through the gateway, then drives Debian's headless Chromium with
Playwright: open ``/docs``, expand ``GET /categories``, press "Try it out" and
"Execute", and read the live response. The screenshot is saved as
``.cache/artifacts/docs-try-it-out.png`` (or under ``$SPECFIRST_ARTIFACTS_DIR``).

Chromium comes from ``apt-get install chromium`` (never ``playwright install``).
Without it the test skips with the reason, except in CI (``CI`` set, or
``SPECFIRST_REQUIRE_SERVICES=1`` as ``.ci/run`` exports), where ``.ci/run``
installs it and a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import REPO_ROOT
from tests.up.procs import OutputLog

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
API_KEY = {"X-API-Key": "specfirst-dev-api-key"}
CATEGORY = {"name": "Clickable Docs", "slug": "clickable-docs"}


def artifacts_dir() -> Path:
    return Path(os.environ.get("SPECFIRST_ARTIFACTS_DIR", REPO_ROOT / ".cache" / "artifacts"))


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (apt-get install -y chromium chromium-driver)"
    if os.environ.get("CI") or os.environ.get("SPECFIRST_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason}; CI must install it (.ci/run)")
    pytest.skip(reason)


@pytest.fixture
def gateway_url(tmp_path: Path) -> Iterator[str]:
    up = subprocess.Popen(
        [str(Path(sys.executable).parent / "specfirst"), "up", "--base-port", "0", "--json",
         "--database-url", f"sqlite:///{tmp_path / 'db'}", "--root", str(REPO_ROOT)],
        cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    log = OutputLog(up)
    try:
        ready = json.loads(log.wait_for(r'^\{.*"event": "ready".*\}$', timeout=120).group(0))
        yield ready["urls"]["gateway"]
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=30)
        log.close()


def test_try_it_out_in_headless_chromium(gateway_url: str) -> None:
    _require_chromium()
    created = httpx.post(gateway_url + "/categories", json=CATEGORY, headers=API_KEY, timeout=10)
    assert created.status_code == 201, created.text
    merged = httpx.get(gateway_url + "/openapi.json", timeout=10).json()
    operations = sum(
        1 for item in merged["paths"].values() for method in item if method in {
            "get", "put", "post", "delete", "patch", "head", "options", "trace"}
    )  # fmt: skip
    screenshot = artifacts_dir() / "docs-try-it-out.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(gateway_url + "/docs")
            page.wait_for_selector(".opblock", timeout=30_000)
            # Every operation of every service is on the page.
            assert page.locator(".opblock").count() == operations
            block = page.locator("#operations-categories-listCategories")
            block.locator(".opblock-summary").click()
            block.locator("button.try-out__btn").click()
            block.locator("button.execute").click()
            live = block.locator(".live-responses-table tbody .response-col_status").first
            live.wait_for(timeout=30_000)
            assert live.inner_text().strip().startswith("200")
            body = block.locator(".live-responses-table tbody .response-col_description pre").first
            assert CATEGORY["name"] in body.inner_text()
            block.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    assert screenshot.stat().st_size > 10_000
