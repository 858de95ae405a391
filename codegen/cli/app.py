"""The ``specfirst`` command line: a thin shell over the library.

Each command lives in its own module under ``codegen.cli.commands`` (or
``gateway.commands``) and registers itself on the Typer app; this module only
wires them up and turns unexpected exceptions into a one-line error (the
traceback is shown with ``--debug``).
"""

from __future__ import annotations

import importlib
import sys

import typer

from codegen.core.errors import UserError, print_error

app = typer.Typer(
    name="specfirst",
    help="Contract-first microservices: validate, generate, serve, test and route OpenAPI specs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Modules that define ``register(app)``. Order is the order of ``--help``.
COMMAND_MODULES: tuple[str, ...] = (
    "codegen.cli.commands.validate",
    "codegen.cli.commands.generate",
    "codegen.cli.commands.serve",
    "codegen.cli.commands.lint",
    "codegen.cli.commands.diff",
    "codegen.cli.commands.sdk",
    "codegen.cli.commands.test",
    "codegen.cli.commands.drift",
    "gateway.commands",
    "gateway.export.commands",
    "codegen.cli.commands.up",
    "codegen.cli.commands.new",
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for unexpected errors."),
) -> None:
    """Declares the global ``--debug`` flag; :func:`main` reads it from argv so
    that it also covers errors raised before this callback runs."""


for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def main() -> None:
    """Console-script entry point: exit codes come from the commands; any
    unexpected exception becomes one clear line and exit code 2."""
    try:
        app()
    except UserError as exc:
        print_error(str(exc))
        sys.exit(exc.exit_code)
    except Exception as exc:  # the boundary: never show a raw traceback by default
        if "--debug" in sys.argv:
            raise
        print_error(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
        sys.exit(2)
