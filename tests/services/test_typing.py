"""The services' hand-written code passes ``mypy --strict`` with no ``type: ignore``.

Handlers are typed by what the generated layer hands them (typed parameters,
``bodies.<Class>`` request bodies, ``stubs.<Operation>Reply``), so a wrong member,
an undeclared status or a body shape the spec does not have is a mypy error here.
Generated files (``_generated/``) and migrations are left out by ``[tool.mypy]``'s
``exclude``; the Django plugin types models from the test settings' three apps.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SERVICES = REPO / "services"


def _packages() -> list[Path]:
    """servicekit and every service's Django packages."""
    found = [SERVICES / "servicekit"]
    for service in _services():
        found += sorted(p for p in service.iterdir() if (p / "__init__.py").is_file())
    return found


def _services() -> list[Path]:
    return sorted(p for p in SERVICES.iterdir() if p.is_dir() and p.name != "servicekit")


def _loose_batches() -> list[list[Path]]:
    """Every service's loose modules (``manage.py``, ``contract_fixtures.py``), in batches
    whose module names differ: two services' ``manage.py`` are one module name to mypy."""
    batches: list[list[Path]] = []
    for module in sorted(m for service in _services() for m in service.glob("*.py")):
        batch = next((b for b in batches if module.name not in {m.name for m in b}), None)
        if batch is None:
            batch = []
            batches.append(batch)
        batch.append(module)
    return batches


def _mypy(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *map(str, paths)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _ignores(path: Path) -> list[int]:
    """Lines of ``path`` with a ``# type: ignore`` comment (not one a docstring mentions)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [
        token.start[0]
        for token in tokens
        if token.type == tokenize.COMMENT and token.string[1:].strip().startswith("type: ignore")
    ]


def test_mypy_strict_passes_on_the_services() -> None:
    result = _mypy(*_packages())
    assert result.returncode == 0, result.stdout + result.stderr
    for batch in _loose_batches():
        result = _mypy(*batch)
        assert result.returncode == 0, result.stdout + result.stderr


def test_no_type_ignore_outside_generated_files() -> None:
    hand_written = [
        path
        for path in sorted(SERVICES.rglob("*.py"))
        if "_generated" not in path.parts and "migrations" not in path.parts
    ]
    assert len(hand_written) > 50
    found = {str(p.relative_to(REPO)): lines for p in hand_written if (lines := _ignores(p))}
    assert found == {}
