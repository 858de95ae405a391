"""Read the usage snapshot given to ``specfirst diff --usage``, with clear errors.

Example: ``read_usage_file(Path("usage.json"))`` → a
:class:`codegen.core.usage.snapshot.UsageSnapshot`; a missing file, bad JSON or
a snapshot of another format raise :class:`codegen.core.errors.UserError`
naming the file (and the JSON pointer at fault).
"""

from __future__ import annotations

import json
from pathlib import Path

from codegen.core.errors import UserError
from codegen.core.usage.snapshot import SnapshotError, UsageSnapshot, read_snapshot


def read_usage_file(path: Path) -> UsageSnapshot:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{path}: cannot read the usage snapshot: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UserError(f"{path}: not JSON: {exc}") from None
    try:
        return read_snapshot(data)
    except SnapshotError as exc:
        raise UserError(f"{path}: {exc}") from None
