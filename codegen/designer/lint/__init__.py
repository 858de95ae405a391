"""API design lint: rules SF301-SF399 over a loaded spec (see docs/lint.md).

``lint_path("specs/orders.yaml", LintConfig())`` → sorted diagnostics;
``lint_loaded(loaded, config)`` does the same for a spec already loaded.
"""

from __future__ import annotations

from codegen.designer.lint.config import LintConfig, load_config, parse_config
from codegen.designer.lint.runner import lint_loaded, lint_path

__all__ = ["LintConfig", "lint_loaded", "lint_path", "load_config", "parse_config"]
