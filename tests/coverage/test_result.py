"""Counting, thresholds, exclusions and the three renderings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from codegen.cli.console import LOG_WIDTH, text_console
from codegen.core.errors import UserError
from codegen.verify.coverage import render
from codegen.verify.coverage.kinds import Kind
from codegen.verify.coverage.model import CoverageModel
from codegen.verify.coverage.result import Count, check_exclusions, coverage_of
from codegen.verify.coverage.session import CoverageSession
from codegen.verify.coverage.settings import (
    CoverageSettings,
    coverage_settings,
    parse_option,
    parse_thresholds,
    thresholds_for,
)

STATUSES = (
    "GET /pets status 200",
    "GET /pets status 4XX",
    "POST /pets status 201",
    "POST /pets status default",
    "GET /pets/{petId} status 200",
    "GET /pets/{petId} status 404",
)


def test_counts_leave_excluded_items_out(model: CoverageModel) -> None:
    result = coverage_of(
        model,
        {"GET /pets status 200", "POST /pets status 201", "not an item"},
        {"GET /pets/{petId} status 404": "needs a deleted pet"},
    )
    assert result.count(Kind.STATUSES) == Count(covered=2, total=5, excluded=1)
    assert result.count(Kind.STATUSES).percent == 40.0
    assert [i.id for i in result.uncovered() if i.kind is Kind.STATUSES] == [
        "GET /pets status 4XX",
        "GET /pets/{petId} status 200",
        "POST /pets status default",
    ]
    assert [(i.id, why) for i, why in result.excluded_items()] == [
        ("GET /pets/{petId} status 404", "needs a deleted pet")
    ]


def test_a_threshold_fails_only_below_it(model: CoverageModel) -> None:
    result = coverage_of(model, set(STATUSES[:5]), {})
    assert result.shortfalls({Kind.STATUSES: 80.0}) == []
    (shortfall,) = result.shortfalls({Kind.STATUSES: 90.0, Kind.BRANCHES: 0.0})
    assert str(shortfall) == ("pets: status codes coverage 83.3% (5/6) is below the minimum of 90%")


def test_a_kind_with_nothing_to_cover_never_fails(model: CoverageModel) -> None:
    result = coverage_of(model.only(["getPet"]), set(), {})
    assert result.count(Kind.BRANCHES) == Count(0, 0, 0)
    assert all(s.kind is not Kind.BRANCHES for s in result.shortfalls({Kind.BRANCHES: 100}))


def test_an_excluded_item_that_was_covered_is_reported(model: CoverageModel) -> None:
    result = coverage_of(model, {"GET /pets status 4XX"}, {"GET /pets status 4XX": "why"})
    assert [i.id for i in result.excluded_but_covered()] == ["GET /pets status 4XX"]


def test_a_stale_exclusion_is_an_error(model: CoverageModel) -> None:
    check_exclusions([model], {"GET /pets status 4XX": "why"}, "[t]")
    with pytest.raises(UserError, match=r'^\[t\]: "GET /pets status 503" names no coverage item'):
        check_exclusions([model], {"GET /pets status 503": "why"}, "[t]")


def test_a_service_table_is_checked_against_that_service_only(model: CoverageModel) -> None:
    settings = coverage_settings(
        {"services": {"pets": {"uncoverable": {"GET /pets status 4XX": "why"}}, "gone": {}}}
    )
    CoverageSession({"pets": model}, settings)
    other = coverage_settings({"services": {"other": {"uncoverable": {"GET /pets": "why"}}}})
    CoverageSession({"pets": model}, other)  # a service this project does not have
    wrong = coverage_settings({"services": {"pets": {"uncoverable": {"GET /cats": "why"}}}})
    with pytest.raises(UserError, match=r"services\.pets\.uncoverable\]: \"GET /cats\""):
        CoverageSession({"pets": model}, wrong)


@pytest.mark.parametrize(
    ("rules", "target", "expected"),
    [
        (["90"], "orders", dict.fromkeys(Kind, 90.0)),
        (["90", "statuses=100"], "orders", {**dict.fromkeys(Kind, 90.0), Kind.STATUSES: 100.0}),
        # a target's rule beats a kind's, whatever the order; the command line beats the file
        (["gateway:50", "operations=100"], "gateway", dict.fromkeys(Kind, 50.0)),
        (["gateway:50", "operations=100"], "orders", {Kind.OPERATIONS: 100.0}),
        (
            ["gateway:operations=10", "gateway:20"],
            "gateway",
            {
                **dict.fromkeys(Kind, 20.0),
                Kind.OPERATIONS: 10.0,
            },
        ),
    ],
)
def test_the_most_specific_threshold_wins(
    rules: list[str], target: str, expected: dict[Kind, float]
) -> None:
    assert thresholds_for(target, [parse_option(rule) for rule in rules]) == expected


def test_the_command_line_beats_the_configuration() -> None:
    configured = parse_thresholds({"statuses": 100, "gateway": {"statuses": 10}}, "x")
    assert thresholds_for("orders", [*configured, parse_option("statuses=80")]) == {
        Kind.STATUSES: 80.0
    }
    assert thresholds_for("gateway", [*configured, parse_option("statuses=80")]) == {
        Kind.STATUSES: 10.0
    }


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("lots", r"--min-coverage lots: expected \[TARGET:\]\[KIND=\]PERCENT"),
        ("routes=5", r"--min-coverage routes=5: unknown kind 'routes'"),
        ("statuses=120", r"must be a percentage from 0 to 100, got 120"),
    ],
)
def test_bad_options_are_user_errors(option: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_option(option)


def test_a_threshold_for_an_unknown_target_is_an_error(model: CoverageModel) -> None:
    with pytest.raises(UserError, match=r"unknown target\(s\) ordrs; targets: pets, gateway"):
        CoverageSession({"pets": model}, CoverageSettings(), thresholds=[parse_option("ordrs:5")])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"min_coverage": 101}, r"min_coverage must be a percentage from 0 to 100, got 101"),
        ({"min_coverage": {"gateway": {"routes": 1}}}, r"unknown kind 'routes'; kinds: operati"),
        ({"uncoverable": {"GET /x status 503": ""}}, r"uncoverable must map item ids to reasons"),
        (
            {"services": {"a": {"uncoverable": ["x"]}}},
            r"services\.a\.uncoverable must map item ids",
        ),
    ],
)
def test_bad_settings_are_user_errors(raw: dict[str, object], message: str) -> None:
    with pytest.raises(UserError, match=message):
        coverage_settings(raw)


def test_per_service_exclusions_join_the_global_ones() -> None:
    settings = coverage_settings(
        {
            "uncoverable": {"A": "everywhere"},
            "services": {"orders": {"uncoverable": {"B": "orders only"}, "requires": []}},
        }
    )
    assert settings.exclusions(["catalog"]) == {"A": "everywhere"}
    assert settings.exclusions(["orders"]) == {"A": "everywhere", "B": "orders only"}


def test_table_json_and_html(model: CoverageModel, tmp_path: Path) -> None:
    result = coverage_of(model, set(STATUSES[:5]) | {"GET /pets"}, {"POST /pets": "<why>"})
    console = Console(width=200, record=True, color_system=None)
    render.print_table(console, [result])
    text = console.export_text()
    assert "5/6 83.3%" in text and "1/2 50.0% (+1 excluded)" in text
    document = render.as_json([result])
    (target,) = document["targets"]
    statuses = {"covered": 5, "total": 6, "excluded": 0, "percent": 83.33}
    assert target["kinds"]["statuses"] == statuses
    (item,) = [i for i in target["items"] if i["id"] == "GET /pets/{petId} status 404"]
    location = model.items["GET /pets/{petId} status 404"].location
    assert location is not None
    assert (item["covered"], item["pointer"], item["line"]) == (
        False,
        "/paths/~1pets~1{petId}/get/responses/404",
        location.line,
    )
    json.dumps(document)  # serialisable
    written = render.write_html(tmp_path / "html", [result])
    assert [p.name for p in written] == ["index.html", "pets.html"]
    page = written[1].read_text(encoding="utf-8")
    assert "GET /pets/{petId} status 404" in page
    assert "#/paths/~1pets~1{petId}/get/responses/404" in page
    assert "&lt;why&gt;" in page and "<why>" not in page  # spec and config text is escaped
    assert 'href="pets.html"' in written[0].read_text(encoding="utf-8")


def test_the_table_is_not_cut_in_a_log(
    model: CoverageModel, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the CLI's console, output that is no terminal (a CI log) is 140 columns
    wide: every cell of the row is whole, where rich's default 80 would cut them."""
    monkeypatch.delenv("COLUMNS", raising=False)
    result = coverage_of(model, set(STATUSES[:5]) | {"GET /pets"}, {"POST /pets": "<why>"})
    console = text_console()
    assert console.width == LOG_WIDTH
    render.print_table(console, [result], seconds=0.25)
    out = capsys.readouterr().out
    (row,) = [line for line in out.splitlines() if "pets" in line]
    cells = render.table_rows([result])[0]
    assert all(cell in row for cell in cells), row
    assert "…" not in out and max(map(len, out.splitlines())) <= LOG_WIDTH


def test_a_gateway_scoped_to_some_services_counts_their_items_only(model: CoverageModel) -> None:
    other = CoverageModel.union("cats", [])
    scoped = CoverageSession(
        {"pets": model, "cats": other}, CoverageSettings(), gateway_services=["cats"]
    )
    assert scoped.results(["gateway"])[0].items == []
    every = CoverageSession({"pets": model, "cats": other}, CoverageSettings())
    assert {i.id for i in every.results(["gateway"])[0].items} == set(model.items)
