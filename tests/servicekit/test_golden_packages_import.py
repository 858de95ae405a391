"""Every golden case generates a package that imports, binds its URLs, resolves
a URL for every path, passes the system checks and derives its schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from tests.codegen.golden.support import CASES, case_names
from tests.servicekit.harness import generate_package, root_urlconf

SAMPLES = {"integer": "1", "uuid": "00000000-0000-0000-0000-000000000001", "string": "x"}


def concrete(path: str, params: dict[str, tuple[str, str, tuple[str, ...]]]) -> str:
    def value(match: re.Match[str]) -> str:
        _, kind, enum = params.get(match.group(1), ("", "string", ()))
        return enum[0] if enum else SAMPLES[kind]

    return re.sub(r"\{([^{}]+)\}", value, path)


@pytest.mark.parametrize("case", case_names())
def test_golden_case_serves(case: str, tmp_path: Path) -> None:
    package = generate_package(CASES / case / "spec.yaml", tmp_path, f"sf_golden_{case}")
    # The package's own urlpatterns serve every route (stubs: 501), for include().
    (resolver,) = package.urls.urlpatterns
    assert len(resolver.url_patterns) == len(package.urls.ROUTES)
    urlconf = root_urlconf(package)
    with override_settings(ROOT_URLCONF=urlconf):
        for route in package.urls.ROUTES:
            match = resolve(concrete(route.path, route.params))
            assert match.func.cls.__module__.startswith(package.__name__)
        errors = [
            m
            for m in checks.run_checks()
            if m.level >= checks.ERROR and (m.id or "").startswith(("specfirst.", "urls."))
        ]
        assert errors == []
    schema = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    assert sorted(schema.get("paths", {})) == sorted(r.path for r in package.urls.ROUTES)
