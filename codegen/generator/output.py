"""Writing generated files: ruff-formatted, atomic, and checkable.

A :class:`FileSet` is the complete content of one generator-owned directory.
``write()`` replaces the directory's files atomically (each file via a
temporary sibling and ``os.replace``) and deletes files the generator no
longer produces; ``check()`` compares without writing and reports *stale*
files (content differs or missing) and *orphan* files (present on disk but
no longer generated).

Formatting runs the installed ``ruff format`` once per batch of files, in a
temporary directory with ``--isolated`` (so project excludes of
``_generated/`` do not apply and the output never depends on local config);
JSON data files (rendered compact) are indented, two spaces a level.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from codegen.core.errors import UserError
from codegen.core.files import atomic_write

LINE_LENGTH = 100


def _ruff() -> str:
    candidate = Path(sys.executable).parent / "ruff"
    found = str(candidate) if candidate.exists() else shutil.which("ruff")
    if not found:
        raise UserError("ruff is not installed; it formats the generated code (pip install ruff)")
    return found


def format_python(files: Mapping[str, str]) -> dict[str, str]:
    """``{path: source}`` -> the same, ruff-formatted (other files unchanged).

    All Python files go through one ``ruff format`` process.
    """
    python = sorted(path for path in files if path.endswith(".py"))
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="specfirst-format-") as tmp:
        root = Path(tmp)
        for index, path in enumerate(python):
            (root / f"f{index}.py").write_text(files[path], encoding="utf-8")
        command = [
            _ruff(),
            "format",
            "--isolated",
            "--quiet",
            f"--line-length={LINE_LENGTH}",
            "--target-version=py311",
            str(root),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"ruff format failed on generated code: {result.stderr.strip()}")
        formatted = dict(files)
        for index, path in enumerate(python):
            formatted[path] = (root / f"f{index}.py").read_text(encoding="utf-8")
    return formatted


def format_json(files: Mapping[str, str]) -> dict[str, str]:
    """``{path: text}`` with every ``.json`` file indented for readers (the
    same values in the same order; other files unchanged)."""
    return {
        path: json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
        if path.endswith(".json")
        else text
        for path, text in files.items()
    }


@dataclass(frozen=True, slots=True)
class CheckResult:
    stale: list[Path] = field(default_factory=list)
    orphan: list[Path] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.stale and not self.orphan


def _existing(directory: Path) -> set[str]:
    if not directory.is_dir():
        return set()
    return {
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@dataclass(frozen=True, slots=True)
class FileSet:
    """The full content of generator-owned ``directory``: relative path -> text."""

    directory: Path
    files: Mapping[str, str]

    def check(self) -> CheckResult:
        existing = _existing(self.directory)
        stale = [
            self.directory / rel
            for rel in sorted(self.files)
            if rel not in existing
            or (self.directory / rel).read_text(encoding="utf-8") != self.files[rel]
        ]
        orphan = [self.directory / rel for rel in sorted(existing - set(self.files))]
        return CheckResult(stale=stale, orphan=orphan)

    def write(self) -> list[Path]:
        """Write changed files, delete orphans; returns the paths written."""
        written: list[Path] = []
        for rel in sorted(self.files):
            path = self.directory / rel
            if path.is_file() and path.read_text(encoding="utf-8") == self.files[rel]:
                continue
            atomic_write(path, self.files[rel])
            written.append(path)
        for rel in sorted(_existing(self.directory) - set(self.files)):
            (self.directory / rel).unlink()
        _remove_empty_dirs(self.directory)
        return written


def _remove_empty_dirs(directory: Path) -> None:
    if not directory.is_dir():
        return
    for path in sorted(directory.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and path.name == "__pycache__":
            shutil.rmtree(path)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def format_filesets(filesets: Iterable[tuple[Path, Mapping[str, str]]]) -> list[FileSet]:
    """Format many file sets with one ruff run (and their JSON files)."""
    pending = list(filesets)
    merged = {
        f"{index}/{rel}": text
        for index, (_, files) in enumerate(pending)
        for rel, text in files.items()
    }
    formatted = format_json(format_python(merged))
    return [
        FileSet(directory, {rel: formatted[f"{index}/{rel}"] for rel in files})
        for index, (directory, files) in enumerate(pending)
    ]
