"""Without Chromium the browser test skips, with the reason, only outside CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import test_docs_try_it_out as browser


@pytest.fixture
def no_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("SPECFIRST_REQUIRE_SERVICES", raising=False)


@pytest.mark.usefixtures("no_chromium")
def test_skips_with_the_reason_outside_ci() -> None:
    reason = r"is not installed \(apt-get install -y chromium chromium-driver\)"
    with pytest.raises(pytest.skip.Exception, match=reason):
        browser._require_chromium()


@pytest.mark.usefixtures("no_chromium")
@pytest.mark.parametrize(
    ("variable", "value"), [("CI", "true"), ("SPECFIRST_REQUIRE_SERVICES", "1")]
)
def test_fails_in_ci(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(pytest.fail.Exception, match=r"CI must install it \(.ci/run\)"):
        browser._require_chromium()
