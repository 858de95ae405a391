"""The worked examples in the route compiler's docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["canonical", "keys", "kinds", "matcher", "regex", "select", "templates"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"codegen.core.routing.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
