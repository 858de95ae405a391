"""The worked examples in the loader/IR docstrings are tests too."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "codegen.spec.pointer",
    "codegen.spec.parse",
    "codegen.spec.refs",
    "codegen.spec.source_map",
    "codegen.spec.loader",
    "codegen.spec.bundle",
    "codegen.spec.policy",
    "codegen.spec.schema_errors",
    "codegen.spec.semantic",
    "codegen.spec.values",
    "codegen.spec.validate",
    "codegen.spec.schema_walk",
    "codegen.ir.names",
    "codegen.ir.schemas",
    "codegen.ir.operations",
    "codegen.ir.security",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
