"""Generating a spec into an importable package, for behavioural tests.

``generate_package(spec, tmp_dir, "sf_orders_api")`` runs the real generator
(load, render, ruff format, write) into ``tmp_dir/sf_orders_api`` and imports
it; ``root_urlconf(package, views)`` builds a URLconf module serving it.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import Any

from codegen.core.diagnostics import has_errors
from codegen.generator.generation import Target, plan


def generate_package(spec: Path, root: Path, name: str) -> types.ModuleType:
    result = plan([Target(spec, root / name, app=True)])
    assert not result.failed, [d.format() for d in result.diagnostics]
    assert not has_errors(result.diagnostics)
    for fileset in result.filesets:
        fileset.write()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    package = importlib.import_module(name)
    for module in ("schemas", "serializers", "operations", "stubs", "urls"):
        importlib.import_module(f"{name}.{module}")
    return package


def root_urlconf(package: types.ModuleType, views: Any = None) -> types.ModuleType:
    """A URLconf module serving ``package`` with ``views`` and a 404 catch-all."""
    module = types.ModuleType(f"{package.__name__}_root_urls")
    module.urlpatterns = package.urls.build_urlpatterns(views, catch_all=True)  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module
