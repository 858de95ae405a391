"""``specfirst usage export``: write a portable snapshot of the recorded usage.

Reads the store ``[gateway.usage]`` configures (Redis when ``REDIS_URL`` or
``redis_url`` is set, else the SQLite file), sums the days asked for and
writes the snapshot JSON (docs/usage.md) atomically.

Example: ``specfirst usage export --since 30d --out usage.json``
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from redis.exceptions import RedisError

from codegen.core.errors import UserError
from codegen.core.files import atomic_write
from codegen.core.spec.pointer import split
from codegen.core.usage.snapshot import OperationKey
from gateway.commands import Root, Specs, compose_project
from gateway.usage.export import build_snapshot, parse_since
from gateway.usage.start import open_store

usage_app = typer.Typer(
    name="usage",
    help="Live usage recorded by the gateway (docs/usage.md).",
    no_args_is_help=True,
)


@usage_app.command("export")
def export(
    since: Annotated[
        str, typer.Option("--since", help="'30d' (the last 30 days) or a date (YYYY-MM-DD).")
    ] = "30d",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the snapshot here (default: stdout)."),
    ] = None,
    root: Root = Path("."),
    specs: Specs = None,
) -> None:
    """Write the usage recorded since a day as one JSON snapshot.

    Example: specfirst usage export --since 30d --out usage.json
    """
    config, composition = compose_project(root, specs)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = parse_since(since, now.date())
    names = {
        OperationKey(e.source.name, e.method, split(e.pointer)[1]): e.operation_id
        for e in composition.entries
    }
    store = open_store(config.usage)

    async def run() -> str:
        try:
            snapshot = await build_snapshot(store, start, now.date(), names, now)
        except (OSError, sqlite3.Error, RedisError) as exc:
            where = config.usage.backend
            raise UserError(f"cannot read the usage store ({where}): {exc}") from None
        finally:
            await store.close()
        return json.dumps(snapshot.to_json(), indent=2, sort_keys=True) + "\n"

    text = asyncio.run(run())
    if out is None:
        sys.stdout.write(text)
        return
    atomic_write(out, text)
    sys.stderr.write(f"wrote {out}\n")


def register(app: typer.Typer) -> None:
    app.add_typer(usage_app)
