"""Breaking changes judged against a usage snapshot (codegen.designer.diff.traffic)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from codegen.core.usage.fields import OperationCounts
from codegen.core.usage.snapshot import OperationKey, OperationUsage, UsageSnapshot
from codegen.designer.diff import diff_files
from codegen.designer.diff.traffic import Verdict, annotate

OLD = """
openapi: 3.1.0
info: {title: Shop, version: 1.0.0}
paths:
  /items/{id}:
    post:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: sort, in: query, schema: {type: string}}
        - {name: tenant, in: header, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                customer:
                  type: object
                  properties: {name: {type: string}, email: {type: string}}
      responses: {'200': {description: ok}}
"""
NEW = """
openapi: 3.1.0
info: {title: Shop, version: 1.0.0}
paths:
  /items/{itemId}:
    post:
      parameters:
        - {name: itemId, in: path, required: true, schema: {type: string}}
        - {name: sort, in: query, schema: {type: integer}}
        - {name: tenant, in: header, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                customer:
                  type: object
                  required: [email]
                  properties: {name: {type: string, maxLength: 3}, email: {type: string}}
      responses: {'200': {description: ok}}
"""


def usage(fields: dict[str, int], service: str = "shop") -> UsageSnapshot:
    counts = OperationCounts()
    counts.add(fields)
    key = OperationKey(service, "POST", "/items/{key}")  # matched by shape, not names
    day = dt.date(2026, 12, 3)
    return UsageSnapshot(
        day - dt.timedelta(days=29),
        day,
        dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
        [OperationUsage(key, None, counts)],
    )


@pytest.fixture
def changes(tmp_path: Path) -> list:  # type: ignore[type-arg]
    for name, text in (("old", OLD), ("shop", NEW)):
        (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(OLD if name == "old" else text))
    return [c for c in diff_files(tmp_path / "old.yaml", tmp_path / "shop.yaml") if c.level == 3]


def by_message(changes: list, snapshot: UsageSnapshot) -> dict[str, str]:  # type: ignore[type-arg]
    return {
        c.message: t.text()
        for c, t in zip(changes, annotate(changes, snapshot), strict=True)
        if t is not None
    }


FIELDS = {
    "n": 10,
    "c:web": 6,
    "c:ios": 4,
    "B": 8,
    "u": 0,
    "q:sort": 5,
    "q:sort\x1fweb": 5,
    "h:tenant": 6,
    "h:tenant\x1fweb": 6,  # ios never sends it: making it required breaks ios
    "b:/customer": 7,
    "b:/customer\x1fweb": 4,
    "b:/customer\x1fios": 3,
    "b:/customer/name": 2,
    "b:/customer/name\x1fios": 2,
    "b:/customer/email": 6,
    "b:/customer/email\x1fweb": 4,
    "b:/customer/email\x1fios": 2,
}


def test_each_change_counts_the_requests_it_breaks(changes: list) -> None:  # type: ignore[type-arg]
    found = by_message(changes, usage(FIELDS))
    op, body = "POST /items/{itemId}", "POST /items/{itemId} request body (application/json)"
    last = "in the last 30 days"
    assert found == {
        f"{op}: query parameter 'sort': type changed from string to integer": (
            f"used by 5 requests from 1 client {last}"
        ),
        f"{op}: header parameter 'tenant' became required": (
            f"used by 4 requests from 1 client {last}"  # ios never sent it
        ),
        f"{body} customer.email: property became required": (
            f"used by 1 request from 1 client {last}"  # the one ios body with a customer, no email
        ),
        f"{body} customer.name: maxLength 3 added": f"used by 2 requests from 1 client {last}",
    }


def test_zero_is_unused_only_when_nothing_was_lost(changes: list) -> None:  # type: ignore[type-arg]
    quiet = {
        "n": 3,
        "c:web": 3,
        "B": 3,
        "b:/customer": 3,
        "b:/customer/email": 3,
        "b:/customer/email\x1fweb": 3,
        "h:tenant": 3,
    }
    verdicts = [t.verdict for t in annotate(changes, usage(quiet)) if t is not None]
    # sort, customer.name: never sent; tenant, customer.email: always sent when they could be
    assert verdicts == [Verdict.UNUSED] * 4
    unread = annotate(changes, usage({**quiet, "u": 2}))
    name = next(t for c, t in zip(changes, unread, strict=True) if "customer.name" in c.message)
    assert name is not None and name.verdict is Verdict.UNKNOWN and name.blocks
    assert name.text() == "no recorded use in 30 days, but 2 request bodies could not be inspected"


def test_another_service_with_the_same_path_is_not_counted(changes: list) -> None:  # type: ignore[type-arg]
    other = usage(FIELDS, service="billing")
    other.operations.append(
        OperationUsage(OperationKey("shop", "GET", "/items/{x}"), None, OperationCounts(requests=9))
    )
    # the spec file is shop.yaml and the snapshot has a shop service: only its POST counts
    assert {t.text() for t in annotate(changes, other) if t} == {"unused in 30 days"}
