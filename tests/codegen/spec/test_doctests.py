"""The worked examples in the loader/IR docstrings are tests too."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "codegen.core.spec.pointer",
    "codegen.core.spec.parse",
    "codegen.core.spec.refs",
    "codegen.core.spec.source_map",
    "codegen.core.spec.loader",
    "codegen.core.spec.bundle",
    "codegen.core.spec.policy",
    "codegen.core.spec.schema_errors",
    "codegen.core.spec.semantic",
    "codegen.core.spec.values",
    "codegen.core.spec.validate",
    "codegen.core.spec.schema_walk",
    "codegen.core.ir.names",
    "codegen.core.ir.schemas",
    "codegen.core.ir.operations",
    "codegen.core.ir.security",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
