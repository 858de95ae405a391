"""The supervisor: merged output, restarts with backoff, and a clean stop."""

from __future__ import annotations

import io
import os
import signal
import time

import pytest
from honcho.printer import Printer

from codegen.cli.up.supervisor import Backoff, Supervisor
from tests.up.procs import alive


def test_backoff_doubles_up_to_the_maximum() -> None:
    backoff = Backoff(initial=0.5, factor=2.0, maximum=3.0)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def _run(supervisor: Supervisor, stop_when: object, timeout: float = 20.0) -> None:
    """Run the loop in this thread; stop it once ``stop_when()`` is true."""
    deadline = time.monotonic() + timeout

    def tick() -> None:
        if stop_when() or time.monotonic() > deadline:  # type: ignore[operator]
            supervisor.stop(0)

    supervisor.on_tick = tick
    supervisor.loop()


@pytest.mark.e2e
def test_a_crashing_process_is_restarted_with_growing_delays() -> None:
    out = io.StringIO()
    supervisor = Supervisor(Printer(out, colour=False), Backoff(initial=0.1, factor=2.0))
    supervisor.add_process("crashy", "echo hello; exit 3")
    _run(supervisor, lambda: out.getvalue().count("crashy exited") >= 3)
    text = out.getvalue()
    assert "crashy  | hello" in text or "crashy | hello" in text
    assert "crashy exited (rc=3); restart 1 in 0.1s" in text
    assert "crashy exited (rc=3); restart 2 in 0.2s" in text
    assert "crashy exited (rc=3); restart 3 in 0.4s" in text
    assert "restarting crashy (restart 1)" in text


@pytest.mark.e2e
def test_stop_terminates_every_process_group() -> None:
    out = io.StringIO()
    supervisor = Supervisor(Printer(out, colour=False))
    # The child starts a grandchild in its own group: both must be gone afterwards.
    supervisor.add_process("sleeper", "sleep 60 & echo grandchild $!; wait")
    seen: dict[str, int] = {}

    def ready() -> bool:
        for line in out.getvalue().splitlines():
            if "grandchild" in line:
                seen["grandchild"] = int(line.split()[-1])
        return "grandchild" in seen

    _run(supervisor, ready)
    assert "sending SIGTERM to sleeper" in out.getvalue()
    assert "sleeper stopped (rc=-15)" in out.getvalue()  # SIGTERM was enough
    assert "SIGKILL" not in out.getvalue()
    pids = [*supervisor.all_pids(), seen["grandchild"]]
    assert not [pid for pid in pids if alive(pid)]
    assert supervisor.pids() == {"sleeper": None}


@pytest.mark.e2e
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_stop_everything(signum: int, code: int) -> None:
    out = io.StringIO()
    supervisor = Supervisor(Printer(out, colour=False))
    supervisor.add_process("sleeper", "exec sleep 60")
    sent: list[bool] = []

    def tick() -> None:
        if not sent and "sleeper started" in out.getvalue():
            sent.append(True)
            os.kill(os.getpid(), signum)

    supervisor.on_tick = tick
    before = signal.getsignal(signum)
    supervisor.loop()
    assert supervisor.returncode == code
    assert f"{signal.Signals(signum).name} received, stopping" in out.getvalue()
    assert not [pid for pid in supervisor.all_pids() if alive(pid)]
    assert signal.getsignal(signum) is before  # the handler is restored
