"""``specfirst test``'s coverage options, and what the run does with them at the end.

Coverage is recorded when any of ``--coverage`` (print the table),
``--coverage-json FILE``, ``--coverage-html DIR`` or ``--min-coverage`` is given;
the thresholds of ``[tool.specfirst.test.min_coverage]`` then apply too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from codegen.verify.coverage import render
from codegen.verify.coverage.build import model_for_spec
from codegen.verify.coverage.result import Shortfall
from codegen.verify.coverage.session import CoverageSession
from codegen.verify.coverage.settings import CoverageSettings, parse_option


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it is under it (as items show it)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


@dataclass(frozen=True, slots=True)
class CoverageOptions:
    table: bool
    json_path: Path | None
    html_dir: Path | None
    min_coverage: tuple[str, ...]

    @property
    def enabled(self) -> bool:
        return bool(self.table or self.json_path or self.html_dir or self.min_coverage)

    def session(
        self,
        settings: CoverageSettings,
        specs: Mapping[str, Path],
        operation_ids: Sequence[str],
        gateway_services: Sequence[str] = (),
    ) -> CoverageSession | None:
        """A session over every service's spec (``specs``: name -> path), or None when
        coverage is not asked for; ``gateway_services``: the gateway is tested on their
        operations only (all when empty). Bad options and stale exclusions fail here,
        before anything starts."""
        if not self.enabled:
            return None
        thresholds = [parse_option(text) for text in self.min_coverage]
        models = {name: model_for_spec(_shown(path), name) for name, path in specs.items()}
        return CoverageSession(models, settings, operation_ids, thresholds, gateway_services)

    def report(
        self, console: Console, session: CoverageSession, targets: Sequence[str]
    ) -> list[Shortfall]:
        """Print and write what was asked for about ``targets`` (in the order they ran);
        the shortfalls against the thresholds."""
        coverage = session.results(targets)
        if self.table:
            render.print_table(console, coverage, session.seconds)
        if self.json_path is not None:
            self.json_path.parent.mkdir(parents=True, exist_ok=True)
            self.json_path.write_text(render.dump_json(coverage), encoding="utf-8")
        if self.html_dir is not None:
            pages = render.write_html(self.html_dir, coverage)
            console.print(f"coverage: wrote {pages[0]}", highlight=False)
        return session.shortfalls(coverage)
