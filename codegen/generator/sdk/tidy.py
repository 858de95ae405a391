"""Tidy generated Python: sort imports, drop unused ones, strip trailing
whitespace (spec descriptions carry it into docstrings), then format.

Templates and datamodel-code-generator write imports in their own order and
sometimes import a name a given file does not use or spell a type the
long way (``Dict``, ``Literal["a"] | Literal["b"]``); ``ruff check --fix``
with its default rules plus ``I,W291,W293`` settles them (in a temporary
directory, ``--isolated`` so no local configuration changes the result), then
:func:`codegen.generator.output.format_python` formats.

``{"m.py": "import sys\\nimport os\\nos.getcwd()\\n"}`` ->
``{"m.py": "import os\\n\\nos.getcwd()\\n"}``.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from codegen.generator.output import _ruff, format_python


def tidy_python(files: Mapping[str, str]) -> dict[str, str]:
    """``{path: text}`` with every ``.py`` file's imports fixed and formatted."""
    python = sorted(path for path in files if path.endswith(".py"))
    markdown = sorted(path for path in files if path.endswith(".md"))
    fixed = dict(files)
    with tempfile.TemporaryDirectory(prefix="specfirst-sdk-") as tmp:
        root = Path(tmp)
        for path in python:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[path], encoding="utf-8")
        command = [
            _ruff(),
            "check",
            "--isolated",
            "--quiet",
            "--fix",
            "--exit-zero",
            # ruff's default rules plus import order and trailing whitespace
            # (spec descriptions carry it into docstrings, hence unsafe fixes)
            "--extend-select=I,F401,W291,W293",
            "--unsafe-fixes",
            "--target-version=py311",
            str(root),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(
                f"ruff check --fix failed on generated code: {result.stderr.strip()}"
            )
        for path in python:
            fixed[path] = (root / path).read_text(encoding="utf-8")
        fixed.update(_format_markdown({path: files[path] for path in markdown}, root / "md"))
    return format_python(fixed)


def _format_markdown(files: Mapping[str, str], root: Path) -> dict[str, str]:
    """Format the Python code blocks of Markdown files as ``ruff format`` would
    (so that running it over a generated package changes nothing); a ruff that
    does not format Markdown leaves them as they are."""
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    command = [_ruff(), "format", "--isolated", "--quiet", "--line-length=100", str(root)]
    subprocess.run(command, capture_output=True, text=True, check=False)
    return {path: (root / path).read_text(encoding="utf-8") for path in files}
