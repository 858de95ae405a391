"""The usage snapshot's JSON: written, read back, refused when malformed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from codegen.core.errors import UserError
from codegen.core.usage.fields import OperationCounts
from codegen.core.usage.snapshot import (
    OperationKey,
    OperationUsage,
    SnapshotError,
    UsageSnapshot,
    read_snapshot,
)
from codegen.designer.diff.usage_file import read_usage_file


def snapshot() -> UsageSnapshot:
    counts = OperationCounts()
    counts.add({"n": 4, "s:200": 4, "q:sort": 3, "c:web": 4, "q:sort\x1fweb": 3})
    key = OperationKey("catalog", "GET", "/products")
    return UsageSnapshot(
        dt.date(2026, 11, 4),
        dt.date(2026, 12, 3),
        dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC),
        [OperationUsage(key, "listProducts", counts)],
    )


def test_round_trip() -> None:
    data = json.loads(json.dumps(snapshot().to_json()))
    assert data["days"] == 30 and data["version"] == 1
    assert data["operations"][0]["query"] == {"sort": {"requests": 3, "clients": {"web": 3}}}
    again = read_snapshot(data)
    assert again.to_json() == data


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format="other"), "not a usage snapshot: /format must be"),
        (lambda d: d.update(version=2), "/version 2 is not supported"),
        (lambda d: d.update(since="yesterday"), "/since must be a date"),
        (
            lambda d: d["operations"][0].update(requests=-1),
            "/operations/0/requests must be a non-negative integer",
        ),
        (
            lambda d: d["operations"][0].update(method=""),
            "/operations/0/method must be a non-empty string",
        ),
        (
            lambda d: d["operations"][0]["query"]["sort"].update(requests="3"),
            "/operations/0/query/sort/requests",
        ),
        (lambda d: d.update(operations={}), "/operations must be an array"),
    ],
)
def test_malformed_snapshots_are_refused_with_a_pointer(edit: Any, message: str) -> None:
    data = snapshot().to_json()
    edit(data)
    with pytest.raises(SnapshotError, match="^" + message.replace("(", r"\(")):
        read_snapshot(data)


def test_the_diff_reads_files_with_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot read the usage snapshot"):
        read_usage_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(UserError, match=r"bad\.json: not JSON"):
        read_usage_file(bad)
    bad.write_text('{"format": "specfirst-usage", "version": 9}', encoding="utf-8")
    with pytest.raises(UserError, match=r"bad\.json: /version 9 is not supported"):
        read_usage_file(bad)
