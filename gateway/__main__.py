"""``python -m gateway``: the gateway's commands without the rest of the CLI.

Example: ``python -m gateway routes --root .``
"""

from __future__ import annotations

import sys

import typer

from codegen.core.errors import UserError, print_error
from gateway.commands import register

app = typer.Typer(name="gateway", no_args_is_help=True, add_completion=False)
register(app)


def main() -> None:
    try:
        app()
    except UserError as exc:
        print_error(str(exc))
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
