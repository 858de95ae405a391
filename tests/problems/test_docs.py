"""docs/problems.md and the ``/_specfirst/problems`` page, rendered from the catalogue."""

from __future__ import annotations

import json

import pytest

from codegen.core.problems import CATALOG
from codegen.core.problems.page import catalog_html, catalog_json, entries, wants_json
from codegen.core.problems.schema import problem_violation
from codegen.generator.problems_doc import problems_markdown
from tests.problems.exchanges import DOC, REQUESTS, recorded
from tests.problems.resolve import anchors


def test_docs_problems_md_is_fresh() -> None:
    """The page is what the catalogue and the recorded answers render to."""
    expected = problems_markdown(recorded())
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/problems.md is stale: run 'python -m tests.problems.regen'"
    )


def test_the_recorded_answers_are_of_the_requests_the_docs_name() -> None:
    assert [(item["title"], item["request"]["path"]) for item in recorded()] == [
        (request.title, request.path) for request in REQUESTS
    ]
    for item in recorded():
        assert problem_violation(item["response"]["body"]) is None, item


def test_the_page_has_a_section_for_every_code() -> None:
    page = catalog_html().decode()
    assert set(CATALOG) <= anchors(page)
    for entry in entries():
        assert f"<h2><code>{entry.code}</code>: {entry.title}</h2>" in page


def test_every_example_is_a_problem_of_the_profile_with_its_code() -> None:
    for entry in entries():
        assert problem_violation(entry.example) is None, entry.code
        assert entry.example["type"] == f"/_specfirst/problems#{entry.code}"
        assert entry.example["status"] == CATALOG[entry.code].status


def test_the_json_page_lists_the_same_codes() -> None:
    listed = [item["code"] for item in json.loads(catalog_json())["problems"]]
    assert listed == list(CATALOG)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", False),
        ("text/html,application/xhtml+xml,*/*;q=0.8", False),
        ("*/*", False),
        ("application/json", True),
        ("application/problem+json, */*", True),
    ],
)
def test_json_is_chosen_only_when_asked_for(accept: str, expected: bool) -> None:
    assert wants_json(accept) is expected
