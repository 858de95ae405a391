"""The JSON-Schema-Test-Suite's draft2020-12 tests through the generated app.

Each case of the suite (``format.json`` left out: ``format`` is an annotation
there, specfirst asserts it) is served as a 3.1 spec (see
``tests/support/json_schema_suite.py``): every instance the suite calls valid
must reach the handler, every invalid one must be refused with 400 or 422,
for every test that ``jsonschema`` itself gets right. The fast test runs the
cases that use anchors, dynamic references or URNs, and boolean schemas (a
third of the suite);
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


def _outcomes(
    cases: list[suite.Case], root: Path, workdir: Path
) -> Iterator[tuple[str, bool, bool]]:
    """(label, served as the suite says, jsonschema gets it right) per test."""
    remotes = suite.remotes(root)
    for index, case in enumerate(cases):
        expected = suite.jsonschema_agrees(case, remotes)
        spec = suite.write_spec(case, workdir / f"case{index}", remotes)
        package = generate_package(spec, workdir, f"sf_jsts_{next(_packages)}")
        urls: types.ModuleType = root_urlconf(package)
        with override_settings(ROOT_URLCONF=urls):
            clear_url_caches()
            for description, valid, status in suite.judge_case(Client(), case):
                label = f"{case.label} {case.description!r} / {description!r}: {status}"
                yield label, suite.agrees(valid, status), expected[description]
        sys.modules.pop(urls.__name__, None)


def _identifying(case: suite.Case) -> bool:
    """Anchors, dynamic references, URNs, and whole boolean schemas (a file
    whose contents are ``true``)."""
    if isinstance(case.schema, bool):
        return True
    text = json.dumps(case.schema)
    return any(keyword in text for keyword in IDENTIFICATION)


def test_identification_cases_are_served_as_jsonschema_judges(root: Path, tmp_path: Path) -> None:
    cases = [case for case in suite.cases(root) if _identifying(case)]
    assert len(cases) > 30, "the suite's identification cases were not found"
    outcomes = _outcomes(cases, root, tmp_path)
    assert [label for label, agreed, right in outcomes if right and not agreed] == []


@pytest.mark.slow
def test_every_draft2020_12_case_is_served_as_jsonschema_judges(root: Path, tmp_path: Path) -> None:
    outcomes = list(_outcomes(suite.cases(root), root, tmp_path))
    agreed = sum(1 for _, ok, _ in outcomes if ok)
    right = sum(1 for _, _, ok in outcomes if ok)
    print(
        f"\nJSON-Schema-Test-Suite draft2020-12: {agreed} of {len(outcomes)} served as the "
        f"suite says; jsonschema gets {right} right"
    )
    assert [label for label, ok, jsonschema_ok in outcomes if jsonschema_ok and not ok] == []
