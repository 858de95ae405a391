"""Run many processes as one: honcho's :class:`~honcho.manager.Manager`, plus restarts.

honcho multiplexes every child's output into one stream (each line prefixed
with the time and the process name, coloured per process on a terminal),
starts each child in its own session (so its whole process group can be
signalled) and turns SIGINT/SIGTERM into a clean shutdown. Its one policy we
do not want is "when one process exits, stop them all": :class:`Supervisor`
restarts an exited process instead, after an exponential backoff, and logs it::

    12:00:03 system | orders exited (rc=-9); restart 1 in 0.5s
    12:00:04 system | orders started (pid=4242)

Only Ctrl-C/SIGTERM (or :meth:`Supervisor.stop`) ends the loop: every process
group gets SIGTERM, then SIGKILL after :data:`KILL_WAIT` seconds, and no child
outlives the loop.
"""

from __future__ import annotations

import contextlib
import datetime
import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from honcho.manager import SIGNALS, Manager
from honcho.printer import Message, Printer

SYSTEM = "system"
KILL_WAIT = 10.0  # seconds between SIGTERM and SIGKILL: past gunicorn's 5 s graceful timeout


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before restart ``n`` (1-based): ``initial * factor**(n-1)``, at most ``maximum``.

    ``Backoff(0.5, 2.0, 30.0).delay(4)`` -> ``4.0``. A process that stayed up for
    ``stable_after`` seconds starts again from the initial delay.
    """

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 30.0
    stable_after: float = 30.0

    def delay(self, attempt: int) -> float:
        return float(min(self.maximum, self.initial * self.factor ** max(0, attempt - 1)))


@dataclass(slots=True)
class _Child:
    """What the supervisor knows about one named process."""

    pid: int | None = None
    started_at: float = 0.0
    returncode: int | None = None
    restarts: int = 0
    restart_at: float | None = None
    runner: Any = None  # the multiprocessing.Process relaying the child's output
    pids: list[int] = field(default_factory=list)  # every pid (= process group) ever started


class Supervisor(Manager):  # type: ignore[misc]  # honcho is untyped
    """A honcho Manager that restarts exited processes with backoff instead of stopping."""

    def __init__(self, printer: Printer | None = None, backoff: Backoff = Backoff()) -> None:
        super().__init__(printer)
        self.backoff = backoff
        self._children: dict[str, _Child] = {}
        self._stop_started: float | None = None
        self.returncode: int | None = None  # honcho's attributes, typed
        self._terminating: bool = False
        self.on_tick: Callable[[], None] | None = None

    # -- public ---------------------------------------------------------------

    def pids(self) -> dict[str, int | None]:
        """The current pid of each process (``None`` while it is down)."""
        return {name: child.pid for name, child in self._children.items()}

    def all_pids(self) -> list[int]:
        """Every pid ever started, for checking that nothing is left behind."""
        return [pid for child in self._children.values() for pid in child.pids]

    def say(self, text: str) -> None:
        """Print a ``system`` line into the merged stream (safe from any thread)."""
        self.events.put(Message("line", text + "\n", datetime.datetime.now(), SYSTEM, None))

    def emit(self, event: dict[str, Any]) -> None:
        """Send a structured event (``{"event": "ready", ...}``) to the printer."""
        self.events.put(Message("line", event, datetime.datetime.now(), SYSTEM, None))

    def stop(self, returncode: int = 0) -> None:
        """Ask the loop to shut everything down (safe from any thread)."""
        self.events.put(Message("stop-all", returncode, datetime.datetime.now(), SYSTEM, None))

    def loop(self) -> None:
        """Start every process and supervise until Ctrl-C, SIGTERM or :meth:`stop`."""

        def on_signal(signum: int, _frame: Any) -> None:
            self._system_print(f"{SIGNALS[signum]['name']} received, stopping\n")
            self._begin_stop(SIGNALS[signum]["rc"])

        previous = {signum: signal.signal(signum, on_signal) for signum in SIGNALS}
        for name in self._processes:
            self._children[name] = _Child()
            self._spawn(name)
        try:
            while not self._finished():
                self._handle(self._next_event())
                self._restart_due()
                self._escalate()
                if self.on_tick is not None:
                    self.on_tick()
        finally:
            self._reap()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    # -- the loop ---------------------------------------------------------------

    def _next_event(self) -> Message | None:
        try:
            return self.events.get(timeout=0.1)
        except queue.Empty:
            return None

    def _handle(self, msg: Message | None) -> None:
        if msg is None:
            return
        if msg.type == "line":
            self._printer.write(msg)
        elif msg.type == "stop-all":
            self._begin_stop(int(msg.data))
        elif msg.type == "start":
            child = self._children[msg.name]
            child.pid, child.started_at, child.returncode = msg.data["pid"], time.monotonic(), None
            child.pids.append(child.pid)
            self._processes[msg.name]["pid"] = child.pid
            self._system_print(f"{msg.name} started (pid={child.pid})\n")
            if self._terminating:  # started while we were stopping: stop it too
                self._signal_group(child.pid, signal.SIGTERM)
        elif msg.type == "stop":
            self._on_exit(msg.name, int(msg.data["returncode"]))

    def _on_exit(self, name: str, returncode: int) -> None:
        child = self._children[name]
        old_pid, child.pid, child.returncode = child.pid, None, returncode
        if old_pid is not None:  # the leader is gone; its workers go with it
            with contextlib.suppress(OSError):
                os.killpg(old_pid, signal.SIGKILL)
        if self._terminating:
            self._system_print(f"{name} stopped (rc={returncode})\n")
            return
        if time.monotonic() - child.started_at >= self.backoff.stable_after:
            child.restarts = 0
        child.restarts += 1
        delay = self.backoff.delay(child.restarts)
        child.restart_at = time.monotonic() + delay
        self._system_print(
            f"{name} exited (rc={returncode}); restart {child.restarts} in {delay:.1f}s\n"
        )

    def _restart_due(self) -> None:
        if self._terminating:
            return
        now = time.monotonic()
        for name, child in self._children.items():
            if child.restart_at is not None and child.restart_at <= now:
                child.restart_at = None
                self._system_print(f"restarting {name} (restart {child.restarts})\n")
                self._spawn(name)

    def _spawn(self, name: str) -> None:
        child = self._children[name]
        if child.runner is not None:
            child.runner.join(timeout=1)
        child.runner = self._start_runner(name)

    def _start_runner(self, name: str) -> Any:
        runner = multiprocessing.Process(
            name=name, target=self._processes[name]["obj"].run, args=(self.events, True)
        )
        runner.start()
        return runner

    def _begin_stop(self, returncode: int) -> None:
        if self.returncode is None:
            self.returncode = returncode
        if self._terminating:
            return
        self._terminating = True
        self._stop_started = time.monotonic()
        for name, child in self._children.items():
            child.restart_at = None
            if child.pid is not None:
                self._system_print(f"sending SIGTERM to {name} (pid {child.pid})\n")
                self._signal_group(child.pid, signal.SIGTERM)

    def _escalate(self) -> None:
        if self._stop_started is None or time.monotonic() - self._stop_started <= KILL_WAIT:
            return
        for name, child in self._children.items():
            if child.pid is not None:
                self._system_print(f"sending SIGKILL to {name} (pid {child.pid})\n")
                self._signal_group(child.pid, signal.SIGKILL)

    def _finished(self) -> bool:
        if not self._terminating:
            return False
        starting = any(
            child.runner is not None and child.runner.is_alive() and child.pid is None
            for child in self._children.values()
        )
        return not starting and all(c.pid is None for c in self._children.values())

    def _reap(self) -> None:
        """Drain pending output, then make sure no process group survives the loop."""
        with contextlib.suppress(queue.Empty):
            while True:
                msg = self.events.get(timeout=0.05)
                if msg.type == "line":
                    self._printer.write(msg)
        for child in self._children.values():
            if child.pid is not None:
                self._signal_group(child.pid, signal.SIGKILL)
        for child in self._children.values():
            if child.runner is not None:
                child.runner.join(timeout=2)
                if child.runner.is_alive():
                    child.runner.kill()

    @staticmethod
    def _signal_group(pid: int, signum: int) -> None:
        with contextlib.suppress(OSError):
            os.killpg(pid, signum)
