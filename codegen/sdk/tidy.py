"""Tidy generated Python: sort imports, drop unused ones, then format.

Templates and datamodel-code-generator write imports in their own order and
sometimes import a name a given file does not use; ``ruff check --fix
--select I,F401`` settles both (in a temporary directory, ``--isolated`` so
no local configuration changes the result), then
:func:`codegen.output.format_python` formats.

``{"m.py": "import sys\\nimport os\\nos.getcwd()\\n"}`` ->
``{"m.py": "import os\\n\\nos.getcwd()\\n"}``.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from codegen.output import _ruff, format_python


def tidy_python(files: Mapping[str, str]) -> dict[str, str]:
    """``{path: text}`` with every ``.py`` file's imports fixed and formatted."""
    python = sorted(path for path in files if path.endswith(".py"))
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
            "--select=I,F401",
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
    return format_python(fixed)
