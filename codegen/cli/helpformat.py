"""Help that wraps instead of cutting: the command lists of ``specfirst --help``.

click shortens each command's line in a group's help to what fits beside the
longest name and ends it with ``...``; :class:`WrappingGroup` lists the whole
first sentence and lets the formatter wrap it at the terminal width, as it
does every other help text (``rich`` help is off, see :func:`codegen.cli.main.build_app`).
"""

from __future__ import annotations

import sys

import typer
from typer import _click  # typer vendors click; TyperGroup's methods take its types
from typer.core import TyperGroup
from typer.models import DefaultPlaceholder


class WrappingGroup(TyperGroup):
    """A Typer group whose command list wraps the first sentence of each command's help."""

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=sys.maxsize)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def use_wrapping_groups(app: typer.Typer) -> None:
    """Make ``app``'s sub-command groups (``specfirst export``) wrap too."""
    for info in app.registered_groups:
        if info.cls is None or isinstance(info.cls, DefaultPlaceholder):
            info.cls = WrappingGroup
