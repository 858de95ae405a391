"""Terminal output shared by every command: progress of long work goes to stderr, in the
mode the command's ``--quiet``/``--json`` chose (errors are :mod:`codegen.core.errors`)."""

from __future__ import annotations

import enum
import json
import sys
from typing import Any, TextIO

import rich.console
import rich.progress

from codegen.core.errors import UserError


class OutputMode(enum.Enum):
    """How a command talks: ``TEXT`` for people, ``QUIET`` for scripts that read only the
    exit status (errors still go to stderr), ``JSON`` for machines (one JSON document on
    stdout, progress as JSON lines on stderr)."""

    TEXT = "text"
    QUIET = "quiet"
    JSON = "json"


def output_mode(quiet: bool, as_json: bool) -> OutputMode:
    """The mode for a command's ``--quiet``/``--json`` flags (they exclude each other).

    ``output_mode(False, True)`` -> ``OutputMode.JSON``.
    """
    if quiet and as_json:
        raise UserError("--quiet and --json exclude each other")
    return OutputMode.QUIET if quiet else OutputMode.JSON if as_json else OutputMode.TEXT


LOG_WIDTH = 140  # columns of output that is not a terminal (a CI log, a file)


def text_console(*, stderr: bool = False, quiet: bool = False) -> rich.console.Console:
    """The console a command prints its text through (tables, summaries).

    On a terminal rich uses the terminal's width. Elsewhere it assumes 80 columns
    (or ``COLUMNS``), and a table wider than that is cut: the cells of ``specfirst
    test``'s coverage table end in an ellipsis in a CI log. Output that is not a
    terminal is therefore at least :data:`LOG_WIDTH` columns wide; a log wraps
    nothing, so a wider page costs nothing.
    """
    console = rich.console.Console(stderr=stderr, highlight=False, quiet=quiet)
    if not console.is_terminal:
        console.width = max(console.width, LOG_WIDTH)
    return console


class Progress:
    """Progress of long work (one step per unit), on stderr so stdout stays parseable.

    * ``TEXT`` on a terminal: a rich progress bar, cleared at the end;
    * ``TEXT`` elsewhere (CI logs): one line per step, ``[2/5] generating specs/a.yaml``;
    * ``JSON``: one JSON line per step, ``{"event": "progress", "done": 2, "total": 5,
      "step": "generating specs/a.yaml"}``;
    * ``QUIET``: nothing.

    Use it as a context manager::

        with Progress(mode, total=len(specs), label="generate") as progress:
            for spec in specs:
                progress.step(f"generating {spec}")
                ...
    """

    def __init__(
        self, mode: OutputMode, total: int, label: str, stream: TextIO | None = None
    ) -> None:
        self.mode = mode
        self.total = total
        self.label = label
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.mode is OutputMode.TEXT and self._stream.isatty():
            self._bar = rich.progress.Progress(
                rich.progress.TextColumn("{task.description}"),
                rich.progress.BarColumn(),
                rich.progress.MofNCompleteColumn(),
                rich.progress.TimeElapsedColumn(),
                console=rich.console.Console(file=self._stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def step(self, description: str) -> None:
        """Start the next unit of work (the previous one is done)."""
        self.done += 1
        if self.mode is OutputMode.QUIET:
            return
        if self.mode is OutputMode.JSON:
            event = {"event": "progress", "label": self.label, "done": self.done,
                     "total": self.total, "step": description}  # fmt: skip
            self._stream.write(json.dumps(event) + "\n")
        elif self._bar is not None:
            self._bar.update(self._task, completed=self.done - 1, description=description)
        else:
            self._stream.write(f"[{self.done}/{self.total}] {description}\n")
        self._stream.flush()

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=self.total)
            self._bar.stop()
