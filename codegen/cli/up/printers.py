"""How ``specfirst up`` prints the merged stream: honcho's prefixed lines, or JSON lines.

``--json`` gives machines one JSON object per line on stdout::

    {"time": "2026-11-28T12:00:03", "process": "orders", "line": "GET /orders 200"}
    {"time": "2026-11-28T12:00:05", "process": "system", "event": "ready",
     "elapsed": 4.8, "urls": {"gateway": "http://127.0.0.1:8000", ...}}

Events (``ready``, ``not-ready``) are dicts sent through :meth:`Supervisor.emit`;
the text printer shows them as the summary lines of :func:`codegen.cli.up.run.summary`.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from honcho.printer import Message, Printer


class JsonPrinter(Printer):  # type: ignore[misc]  # honcho is untyped
    """One JSON object per output line (and per event)."""

    def __init__(self, output: TextIO) -> None:
        super().__init__(output, colour=False, prefix=False)

    def write(self, message: Message) -> None:
        base: dict[str, Any] = {
            "time": message.time.isoformat(timespec="seconds"),
            "process": message.name,
        }
        if isinstance(message.data, dict):
            self._dump({**base, **message.data})
            return
        data = message.data
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
        for line in text.splitlines():
            self._dump({**base, "line": line})

    def _dump(self, record: dict[str, Any]) -> None:
        self.output.write(json.dumps(record) + "\n")
        self.output.flush()
