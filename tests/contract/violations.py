"""Throwaway copies of a reference service with one contract violation injected.

:func:`copy_project` copies ``services/<name>``, ``specs/<name>.yaml`` and the
``[tool.specfirst]`` configuration into a temporary project root, without the
coverage floors (``min_coverage``): they are set for the reference services tested
whole, and a copy tests one service, often one operation of it.
:func:`inject` adds a Django middleware (``violation.Violation``) to the copy:
for requests matching a method and path pattern it runs a request snippet
before the service and a response snippet after it, so a test can break
exactly one promise of the contract without touching the service's code
paths (``request``, ``response``, ``body`` (parsed JSON) and ``json``,
``HttpResponse`` are in scope).
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_TABLE = "[tool.specfirst.test]"
FLOOR_TABLE = re.compile(r"\[tool\.specfirst\.test\.min_coverage(\.[^\]]+)?\]")

_MIDDLEWARE = '''\
"""Injected by the contract tests: breaks one promise of the contract."""

import json
import re

from django.http import HttpResponse


class Violation:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != {method!r} or not re.fullmatch({path!r}, request.path):
            return self.get_response(request)
{before}
        response = self.get_response(request)
        body = None
        if response.get("Content-Type", "").endswith("json") and response.content:
            body = json.loads(response.content)
{after}
        if body is not None:
            response.content = json.dumps(body).encode()
        return response
'''


def without_floors(pyproject: str) -> str:
    """``pyproject`` without ``min_coverage``: the key of ``[tool.specfirst.test]`` and
    every ``[tool.specfirst.test.min_coverage(.<target>)]`` table."""
    kept: list[str] = []
    table, floors = "", False
    for line in pyproject.splitlines(keepends=True):
        if line.startswith("["):
            table = line.split("#", 1)[0].strip()
            floors = FLOOR_TABLE.fullmatch(table) is not None
        key = line.split("=", 1)[0].strip() if "=" in line else None
        if not floors and not (table == TEST_TABLE and key == "min_coverage"):
            kept.append(line)
    return "".join(kept)


def copy_project(tmp_path: Path, name: str) -> Path:
    """A project root in ``tmp_path`` holding only service ``name`` and its spec."""
    root = tmp_path / "project"
    shutil.copytree(
        REPO_ROOT / "services" / name,
        root / "services" / name,
        ignore=shutil.ignore_patterns("__pycache__", "var", "*.sqlite3*"),
    )
    (root / "specs").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "specs" / f"{name}.yaml", root / "specs" / f"{name}.yaml")
    shutil.copytree(REPO_ROOT / "specs" / "_specfirst", root / "specs" / "_specfirst")
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(without_floors(pyproject), encoding="utf-8")
    return root


def inject(
    root: Path, name: str, method: str, path: str, *, before: str = "", after: str = ""
) -> None:
    """Wrap service ``name`` of the copy at ``root`` in a :data:`_MIDDLEWARE` violation."""
    service = root / "services" / name
    indent = " " * 8
    source = _MIDDLEWARE.format(
        method=method,
        path=path,
        before=textwrap.indent(textwrap.dedent(before).strip() or "pass", indent),
        after=textwrap.indent(textwrap.dedent(after).strip() or "pass", indent),
    )
    (service / "violation.py").write_text(source, encoding="utf-8")
    settings = service / f"{name}_site" / "settings.py"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + '\nMIDDLEWARE = [*MIDDLEWARE, "violation.Violation"]  # noqa: F821\n',
        encoding="utf-8",
    )
