"""Robustness over real-world specs: every OpenAPI 3.0 and 3.1 JSON document
of the npm package ``@readme/oas-examples`` either generates a Django app that
imports, passes the system checks and resolves a URL for every path, or is
refused with a blocking diagnostic that names the construct and its JSON
pointer. The package is installed from the npm registry on first use and cached
(see ``tests/support/npm.py``); nothing is fetched at import time."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings
from django.urls import resolve

from codegen.core.diagnostics import Severity
from codegen.generator.generation import Target, plan
from tests.servicekit.harness import generate_package, root_urlconf
from tests.servicekit.test_golden_packages_import import concrete
from tests.support.oas_examples import corpus, package_name


def serves_every_path(spec: Path, root: Path) -> None:
    """Generate, import, check and resolve; raise AssertionError otherwise."""
    package = generate_package(spec, root, package_name(spec, "sf_oas"))
    urlconf = root_urlconf(package)
    with override_settings(ROOT_URLCONF=urlconf):
        for route in package.urls.ROUTES:
            match = resolve(concrete(route.path, route.params))
            assert match.route == route.path.removeprefix("/"), route.path
            # a path whose methods route to several templates resolves to the
            # method switch; every other path to its generated view
            view_class = getattr(match.func, "cls", None)
            if view_class is not None:
                assert view_class.__module__.startswith(package.__name__), route.path
        errors = [m for m in checks.run_checks() if m.level >= checks.ERROR]
        assert errors == [], errors


@pytest.mark.slow
def test_every_oas_example_generates_or_is_refused_clearly(tmp_path: Path) -> None:
    generated: list[str] = []
    refused: list[str] = []
    problems: list[str] = []
    for spec in corpus():
        label = f"{spec.parent.parent.name}/{spec.name}"
        outcome = plan([Target(spec, tmp_path / "probe" / package_name(spec, "sf_oas"), app=True)])
        if outcome.failed:
            blocking = [d for d in outcome.diagnostics if d.severity is Severity.ERROR]
            unclear = [d.format() for d in blocking if not d.location.pointer or not d.message]
            if not blocking or unclear:
                problems.append(f"{label}: refused without a clear reason: {unclear}")
            refused.append(f"{label}: {blocking[0].format() if blocking else '?'}")
            continue
        try:
            serves_every_path(spec, tmp_path)
        except Exception as exc:  # collect every spec's outcome, report all at once
            problems.append(f"{label}: {type(exc).__name__}: {exc}")
        else:
            generated.append(label)
    print(f"\noas-examples: {len(generated)} generated and served, {len(refused)} refused")
    for line in refused:
        print("  refused", line)
    assert not problems, "\n".join(problems)
    assert generated, "no spec generated at all"
