"""docs/cli.md, generated from the CLI itself (so the reference can never drift).

Walks the Typer app's commands (groups included) and writes, per command, its
help text, its examples as a shell block, and a table of its arguments and
options with their defaults::

    python -m codegen.cli.clidoc            # rewrite docs/cli.md
    python -m codegen.cli.clidoc --check    # exit 1 when docs/cli.md is stale

``render_reference()`` -> the Markdown text; a test keeps the file fresh.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import typer.main

from codegen.cli.app import app  # importing the CLI registers every command

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
EXAMPLE_HEADING = re.compile(r"^\s*Examples?:\s*(.*)$")
HEADER = """\
# CLI reference

Generated from the CLI by `python -m codegen.cli.clidoc`; do not edit (a test checks it is
fresh). Every command also answers `--help`. Errors are one line on stderr (exit 2 for
usage mistakes, 1 for findings); `specfirst --debug COMMAND ...` shows tracebacks.
"""


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf command with its path: ``(("export", "nginx"), <Command>)``, in help order."""
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path, command
        return
    for name, sub in subcommands.items():
        if not getattr(sub, "hidden", False):
            yield from walk(sub, (*path, name))


def split_help(text: str) -> tuple[str, list[str]]:
    """``"Do it.\\n\\nExamples:\\n\\n  specfirst x\\n"`` -> ``("Do it.", ["specfirst x"])``.

    Everything from the first ``Example:``/``Examples:`` line on is examples: every
    line that starts with ``specfirst`` (a one-line ``Example: specfirst x`` too).
    """
    lines = text.strip().splitlines()
    for index, line in enumerate(lines):
        match = EXAMPLE_HEADING.match(line)
        if match:
            rest = [match.group(1), *lines[index + 1 :]]
            examples = [entry.strip() for entry in rest if entry.strip().startswith("specfirst")]
            return "\n".join(lines[:index]).strip(), examples
    return "\n".join(lines).strip(), []


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _param_row(param: Any) -> tuple[str, str, str] | None:
    if getattr(param, "hidden", False) or param.name in ("help",):
        return None
    if param.param_type_name == "argument":
        name = f"`{(param.metavar or param.name).upper()}`"
        if not param.required:
            name += " (optional)"
    else:
        name = ", ".join(f"`{opt}`" for opt in (*param.opts, *param.secondary_opts))
    default = param.default
    shown = "" if default in (None, False, (), []) or callable(default) else f"`{default}`"
    return name, _cell(getattr(param, "help", None) or ""), shown


def render_command(path: Sequence[str], command: Any) -> str:
    """The Markdown section of one command."""
    summary, examples = split_help(command.help or "")
    parts = [f"## specfirst {' '.join(path)}", "", summary, ""]
    if examples:
        parts += ["```bash", *examples, "```", ""]
    rows = [row for row in (_param_row(p) for p in command.params) if row is not None]
    if rows:
        parts += ["| argument / option | meaning | default |", "|---|---|---|"]
        parts += [f"| {name} | {meaning} | {default} |" for name, meaning, default in rows]
        parts.append("")
    return "\n".join(parts)


def render_reference() -> str:
    """The whole of docs/cli.md."""
    root = typer.main.get_command(app)
    commands = list(walk(root))
    index = ["| command | what it does |", "|---|---|"] + [
        f"| [`specfirst {' '.join(path)}`](#specfirst-{'-'.join(path)}) "
        f"| {_cell(split_help(command.help or '')[0].splitlines()[0] if command.help else '')} |"
        for path, command in commands
    ]
    sections = [render_command(path, command) for path, command in commands]
    return "\n".join([HEADER, *index, "", *sections]).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen.cli.clidoc", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/cli.md is stale")
    parser.add_argument("--out", type=Path, default=DOC_PATH)
    args = parser.parse_args(argv)
    text = render_reference()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            sys.stderr.write(f"{args.out} is stale: run python -m codegen.cli.clidoc\n")
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    sys.stderr.write(f"wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
