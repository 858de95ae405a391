"""``specfirst up --json`` and ``--quiet``: what the merged stream looks like."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from honcho.printer import Message, Printer

from codegen.cli.console import OutputMode
from codegen.cli.up.plan import ProcessPlan, SystemPlan
from codegen.cli.up.printers import JsonPrinter
from codegen.cli.up.run import make_supervisor, urls
from codegen.cli.up.supervisor import Supervisor

NOON = datetime.datetime(2026, 11, 28, 12, 0, 3)


def test_json_lines_for_output_and_events() -> None:
    out = io.StringIO()
    printer = JsonPrinter(out)
    printer.write(Message("line", b"GET /a 200\nGET /b 404\n", NOON, "orders", None))
    printer.write(Message("line", {"event": "ready", "elapsed": 1.5}, NOON, "system", None))
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"time": "2026-11-28T12:00:03", "process": "orders", "line": "GET /a 200"},
        {"time": "2026-11-28T12:00:03", "process": "orders", "line": "GET /b 404"},
        {"time": "2026-11-28T12:00:03", "process": "system", "event": "ready", "elapsed": 1.5},
    ]


def _plan() -> SystemPlan:
    echo = ("sh", "-c", "echo from-the-service; exit 0")
    service = ProcessPlan("svc", echo, cwd=Path("."), env={}, url="http://127.0.0.1:1")
    gateway = ProcessPlan("gateway", echo, cwd=service.cwd, env={}, url="http://127.0.0.1:2")
    return SystemPlan(services=(service,), gateway=gateway)


def test_urls_of_a_plan() -> None:
    assert urls(_plan()) == {
        "gateway": "http://127.0.0.1:2", "docs": "http://127.0.0.1:2/docs",
        "svc": "http://127.0.0.1:1",
    }  # fmt: skip


@pytest.mark.e2e
@pytest.mark.parametrize(("mode", "shown"), [(OutputMode.TEXT, True), (OutputMode.QUIET, False)])
def test_quiet_hides_process_output_but_not_the_supervisor(
    mode: OutputMode, shown: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    supervisor = make_supervisor(_plan(), mode, environ={"NO_COLOR": "1"})
    assert isinstance(supervisor, Supervisor) and isinstance(supervisor._printer, Printer)
    supervisor.on_tick = lambda: supervisor.stop(0) if "svc exited" in out.getvalue() else None
    supervisor.loop()
    assert ("from-the-service" in out.getvalue()) is shown
    assert "svc started (pid=" in out.getvalue()
