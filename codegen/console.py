"""Terminal output shared by every command: errors go to stderr, plainly."""

from __future__ import annotations

import sys


class UserError(Exception):
    """A problem the user can fix (bad path, bad option): printed without a
    traceback, with ``exit_code`` as the process exit status."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def print_error(message: str) -> None:
    sys.stderr.write(f"specfirst: error: {message}\n")
