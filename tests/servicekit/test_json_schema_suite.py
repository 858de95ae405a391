"""The JSON-Schema-Test-Suite's draft2020-12 tests through the generated app.

Each case of the suite (``format.json`` left out: ``format`` is an annotation
there, specfirst asserts it) is served as a 3.1 spec (see
``tests/support/json_schema_suite.py``): every instance the suite calls valid
must reach the handler, every invalid one must be refused with 400 or 422,
for every test that ``jsonschema`` itself gets right. The fast test runs the
cases that use anchors, dynamic references or URNs (a third of the suite);
the slow one runs them all.
"""

from __future__ import annotations

import itertools
import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import clear_url_caches

from tests.servicekit.harness import generate_package, root_urlconf
from tests.support import json_schema_suite as suite

IDENTIFICATION = ('"$anchor"', '"$dynamicRef"', '"$dynamicAnchor"', '"urn:')
_packages = itertools.count()


@pytest.fixture(scope="module")
def root() -> Path:
    return suite.suite_root()


def _disagreements(cases: list[suite.Case], root: Path, workdir: Path) -> Iterator[str]:
    remotes = suite.remotes(root)
    for case in cases:
        expected = suite.jsonschema_agrees(case, remotes)
        spec = suite.write_spec(case, workdir / f"case{next(_packages)}", remotes)
        package = generate_package(spec, workdir, f"sf_jsts_{next(_packages)}")
        urls: types.ModuleType = root_urlconf(package)
        with override_settings(ROOT_URLCONF=urls):
            clear_url_caches()
            for description, valid, status in suite.judge_case(Client(), case):
                if expected[description] and not suite.agrees(valid, status):
                    yield f"{case.label} {case.description!r} / {description!r}: {status}"
        sys.modules.pop(urls.__name__, None)


def _identifying(case: suite.Case) -> bool:
    text = json.dumps(case.schema)
    return any(keyword in text for keyword in IDENTIFICATION)


def test_identification_cases_are_served_as_jsonschema_judges(root: Path, tmp_path: Path) -> None:
    cases = [case for case in suite.cases(root) if _identifying(case)]
    assert len(cases) > 30, "the suite's identification cases were not found"
    assert list(_disagreements(cases, root, tmp_path)) == []


@pytest.mark.slow
def test_every_draft2020_12_case_is_served_as_jsonschema_judges(root: Path, tmp_path: Path) -> None:
    cases = suite.cases(root)
    total = sum(len(case.tests) for case in cases)
    failures = list(_disagreements(cases, root, tmp_path))
    print(f"\nJSON-Schema-Test-Suite draft2020-12: {total - len(failures)} of {total} agree")
    assert failures == []
