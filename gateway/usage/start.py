"""Build the configured usage store and recorder (or none, when usage is off).

Example: ``[gateway.usage] enabled = true`` with ``REDIS_URL`` set →
``UsageRecorder(store=RedisUsageStore(...))``; without it, a SQLite store in
``.specfirst/usage.sqlite3`` under the project root.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gateway.config import UsageConfig
from gateway.usage.recorder import UsageRecorder
from gateway.usage.stores import RedisUsageStore, SqliteUsageStore, UsageStore


def open_store(config: UsageConfig) -> UsageStore:
    if config.backend == "redis":
        assert config.redis_url is not None  # load_config refuses redis without a URL
        return RedisUsageStore(
            config.redis_url, config.redis_prefix, config.max_fields, config.retention_days
        )
    return SqliteUsageStore(config.sqlite_path, config.max_fields, config.retention_days)


async def start_recorder(
    config: UsageConfig, document: Callable[[], Mapping[str, Any] | None]
) -> UsageRecorder | None:
    """A running recorder, or None when ``[gateway.usage]`` is not enabled."""
    if not config.enabled:
        return None
    recorder = UsageRecorder(config, open_store(config), document)
    await recorder.start()
    return recorder
