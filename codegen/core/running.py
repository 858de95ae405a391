"""The record a running ``specfirst up`` keeps of itself, for other commands to read.

Once every process is ready, ``specfirst up`` writes
``<root>/.cache/up/system.json`` (atomically) with its pid and the URLs it
serves, and removes it when it stops. ``specfirst routes`` reads it to show
the upstreams the gateway really forwards to (``--base-port`` and ``0`` move
them away from the configured ones). A record whose process is gone (killed
without cleaning up) reads as "not running".

Example record::

    {"pid": 4242, "gateway": "http://127.0.0.1:8000",
     "upstreams": {"catalog": "http://127.0.0.1:8001", "orders": "http://127.0.0.1:8003"}}
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

RECORD = Path(".cache") / "up" / "system.json"


@dataclass(frozen=True, slots=True)
class RunningSystem:
    pid: int
    gateway: str | None = None
    upstreams: Mapping[str, str] = field(default_factory=dict)


def record_path(root: Path) -> Path:
    return root / RECORD


def write_record(root: Path, system: RunningSystem) -> None:
    """Write the record of ``system`` under ``root`` (replacing any older one)."""
    path = record_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"pid": system.pid, "gateway": system.gateway, "upstreams": dict(system.upstreams)}
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def remove_record(root: Path, pid: int) -> None:
    """Remove the record under ``root`` if process ``pid`` wrote it."""
    found = _read(record_path(root))
    if found is not None and found.pid == pid:
        record_path(root).unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def read_running(root: Path) -> RunningSystem | None:
    """The system ``specfirst up`` runs from ``root``, or ``None`` (no record,
    an unreadable one, or its process is gone)."""
    found = _read(record_path(root))
    return found if found is not None and process_alive(found.pid) else None


def _read(path: Path) -> RunningSystem | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
        return None
    upstreams = data.get("upstreams")
    gateway = data.get("gateway")
    if not isinstance(upstreams, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in upstreams.items()
    ):
        return None
    return RunningSystem(
        data["pid"], gateway if isinstance(gateway, str) else None, dict(upstreams)
    )
