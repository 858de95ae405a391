"""The one exception a user can fix, and how it is reported at a command's boundary.

Every layer raises :class:`UserError` for a mistake in the user's input (a bad path, a bad
option, a configuration value that cannot be used); the commands (``specfirst`` and
``python -m gateway``) catch it once and print it with :func:`print_error`, without a
traceback. It lives in the core so that the gateway, the runtime and the generators can
raise it without importing the CLI.

``raise UserError("--quiet and --json exclude each other")`` -> on stderr
``specfirst: error: --quiet and --json exclude each other``, exit status 2.
"""

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
