"""The entry point imports only the command being run, and its table names every command."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import typer

from codegen.cli.main import COMMAND_MODULES, COMMANDS, build_app, modules_for


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_the_table_names_exactly_the_commands_each_module_registers(module: str) -> None:
    group: Any = typer.main.get_command(build_app([module]))  # a group: it has .commands
    registered = set(group.commands)
    assert registered == {name for name, owner in COMMANDS.items() if owner == module}


def test_a_named_command_imports_its_module_and_anything_else_imports_all() -> None:
    assert modules_for(["--debug", "serve", "spec.yaml", "--port", "1"]) == (COMMANDS["serve"],)
    assert modules_for(["--help"]) == COMMAND_MODULES
    assert modules_for(["srve"]) == COMMAND_MODULES
    assert modules_for([]) == COMMAND_MODULES


def test_serve_help_does_not_import_the_other_commands() -> None:
    script = (
        "import sys\n"
        "sys.argv = ['specfirst', 'serve', '--help']\n"
        "from codegen.cli.main import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('schemathesis', 'gateway.app', 'psycopg') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert "Serve any spec at once" in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"
