"""The ``specfirst`` entry point: a thin shell over the library.

Each command lives in its own module under ``codegen.cli.commands`` (or
``gateway.commands``) and registers itself on a Typer app with
``register(app)``. :func:`main` imports only the module of the command being
run: importing all of them (schemathesis, the gateway, psycopg, the client
generator, ...) costs about a second that ``specfirst serve`` would otherwise
pay before it starts. ``specfirst --help``, or a command name that is not in
:data:`COMMANDS`, gets every command. :mod:`codegen.cli.app` holds the app with
every command, for documentation and tests. Unexpected exceptions become a
one-line error (the traceback is shown with ``--debug``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Sequence

import typer

from codegen.cli.helpformat import WrappingGroup, use_wrapping_groups
from codegen.core.errors import UserError, print_error

# Command name -> the module whose ``register(app)`` defines it. Order is the order of ``--help``.
COMMANDS: dict[str, str] = {
    "validate": "codegen.cli.commands.validate",
    "generate": "codegen.cli.commands.generate",
    "serve": "codegen.cli.commands.serve",
    "lint": "codegen.cli.commands.lint",
    "diff": "codegen.cli.commands.diff",
    "release": "codegen.cli.commands.release",
    "sdk": "codegen.cli.commands.sdk",
    "test": "codegen.cli.commands.test",
    "drift": "codegen.cli.commands.drift",
    "merge": "gateway.commands",
    "routes": "gateway.commands",
    "gateway": "gateway.commands",
    "export": "gateway.export.commands",
    "usage": "gateway.usage_commands",
    "up": "codegen.cli.commands.up",
    "new": "codegen.cli.commands.new",
}
COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(COMMANDS.values()))
HELP = "Contract-first microservices: validate, generate, serve, test and route OpenAPI specs."


def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for unexpected errors."),
) -> None:
    """Declares the global ``--debug`` flag; :func:`main` reads it from argv so
    that it also covers errors raised before this callback runs."""


def build_app(modules: Iterable[str]) -> typer.Typer:
    """The ``specfirst`` Typer app with the commands of ``modules``."""
    app = typer.Typer(
        name="specfirst",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # Plain click help: it wraps every word at the terminal width, where rich's
        # option tables cut long ones short with "…" (tests/cli/test_help_width.py).
        rich_markup_mode=None,
        cls=WrappingGroup,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    for module in modules:
        importlib.import_module(module).register(app)
    use_wrapping_groups(app)
    return app


def modules_for(args: Sequence[str]) -> tuple[str, ...]:
    """The command modules to import for the command line ``args`` (argv
    without the program): the named command's, else all of them."""
    name = next((arg for arg in args if not arg.startswith("-")), None)
    module = COMMANDS.get(name) if name is not None else None
    return (module,) if module is not None else COMMAND_MODULES


def main() -> None:
    """Console-script entry point: exit codes come from the commands; any
    unexpected exception becomes one clear line and exit code 2."""
    try:
        build_app(modules_for(sys.argv[1:]))()
    except UserError as exc:
        print_error(str(exc))
        sys.exit(exc.exit_code)
    except Exception as exc:  # the boundary: never show a raw traceback by default
        if "--debug" in sys.argv:
            raise
        print_error(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
        sys.exit(2)
