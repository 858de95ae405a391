"""The gateway never imports Django, DRF or Jinja (docs/architecture.md)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT

MODULES = ["gateway.app", "gateway.commands", "gateway.server", "gateway.compose.load"]


def test_gateway_imports_no_django_drf_or_jinja() -> None:
    code = (
        f"import importlib, sys\nfor m in {MODULES!r}: importlib.import_module(m)\n"
        "banned = {'django', 'rest_framework', 'jinja2'}\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & banned))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
