"""A computation run in a forked child while the caller goes on: two cores for
two independent passes over a large state that is already in memory.

``serve`` validates GitHub's spec (about a second of CPU) while it builds the
IR from the same loaded spec (more than a second): the child inherits the
loaded spec by ``fork`` (nothing is pickled on the way in) and sends back only
its result. Example::

    pending = Forked(lambda: validate_spec(loaded))
    api = build_api(loaded)          # meanwhile, in this process
    findings = pending.result()      # the child's findings

Where ``fork`` is unavailable, or the child dies without answering (killed,
out of memory), the computation runs in this process instead, so the result
never depends on how it was computed. An exception raised by the computation
is raised by :meth:`Forked.result`, as if it had run here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar, cast

T = TypeVar("T")


class Forked(Generic[T]):
    """``compute()`` started in a forked child; :meth:`result` waits for it."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._receiver: Connection | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._child = context.Process(target=_answer, args=(compute, sender), daemon=True)
        self._child.start()
        sender.close()

    def result(self) -> T:
        """The child's result (or its exception, raised here)."""
        if self._receiver is None or self._child is None:
            return self._compute()
        try:
            succeeded, value = self._receiver.recv()
        except (EOFError, OSError):  # the child died without answering
            return self._compute()
        finally:
            self._receiver.close()
            self._child.join()
        if not succeeded:
            raise value
        return cast(T, value)


def _answer(compute: Callable[[], object], sender: Connection) -> None:
    """In the child: send ``(True, result)`` or ``(False, exception)``."""
    try:
        outcome: tuple[bool, object] = (True, compute())
    except Exception as error:  # raised again by the parent's result()
        outcome = (False, error)
    sender.send(outcome)
    sender.close()
    os._exit(0)  # no atexit handlers, no flushing the parent's inherited buffers
