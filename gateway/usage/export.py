"""Read the stored counters back into a :class:`codegen.core.usage.snapshot.UsageSnapshot`.

Days are UTC dates, both ends included: ``--since 30d`` on 2026-12-03 reads
2026-11-04 to 2026-12-03. Operations are named from the current specs where
they still exist (their ``operationId``); counters of every day are summed.

Example: ``parse_since("30d", today)`` → ``date(2026, 11, 4)``;
``await build_snapshot(store, since, until, operation_ids)``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from codegen.core.errors import UserError
from codegen.core.usage.fields import OperationCounts
from codegen.core.usage.snapshot import OperationKey, OperationUsage, UsageSnapshot
from gateway.usage.stores import UsageStore

_DAYS = re.compile(r"^([1-9][0-9]{0,3})d$")


def parse_since(text: str, today: dt.date) -> dt.date:
    """``"30d"`` (the last 30 days, today included) or a date ``"2026-11-01"``."""
    found = _DAYS.match(text.strip())
    if found:
        return today - dt.timedelta(days=int(found.group(1)) - 1)
    try:
        since = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"--since must be a number of days like '30d' or a date like '2026-11-01', got {text!r}"
        ) from None
    if since > today:
        raise UserError(f"--since {text} is in the future")
    return since


async def build_snapshot(
    store: UsageStore,
    since: dt.date,
    until: dt.date,
    operation_ids: Mapping[OperationKey, str | None],
    now: dt.datetime,
) -> UsageSnapshot:
    """Every operation with stored usage between ``since`` and ``until``."""
    summed: dict[str, OperationCounts] = {}
    for (_, operation), fields in sorted((await store.read(since, until)).items()):
        summed.setdefault(operation, OperationCounts()).add(fields)
    snapshot = UsageSnapshot(since=since, until=until, generated=now)
    for encoded, counts in sorted(summed.items()):
        try:
            key = OperationKey.decode(encoded)
        except ValueError:
            continue  # not one of ours (a foreign key under the prefix)
        snapshot.operations.append(OperationUsage(key, operation_ids.get(key), counts))
    return snapshot
