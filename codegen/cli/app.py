"""The ``specfirst`` app with every command registered (docs, ``--help`` and tests).

The console script runs :func:`codegen.cli.main.main`, which imports only the
command being run; this module builds the whole app at import.
"""

from __future__ import annotations

from codegen.cli.main import COMMAND_MODULES, build_app, main

app = build_app(COMMAND_MODULES)

__all__ = ["app", "main"]
