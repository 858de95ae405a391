"""``python -m tests.sdk.golden.regen``: rewrite every ``expected/`` tree of
the SDK golden cases (the only way those files change; review the diff)."""

from __future__ import annotations

from pathlib import Path

from codegen.generator.output import FileSet
from codegen.generator.sdk import render_sdk
from codegen.generator.sdk.source import from_spec

CASES = Path(__file__).parent
REPO = CASES.parents[2]


def render_case(case: Path) -> dict[str, str]:
    """The SDK of ``case/spec.yaml`` (labelled by its repository path)."""
    spec = case / "spec.yaml"
    loaded = from_spec(spec.relative_to(REPO))
    return render_sdk(loaded.api, loaded.source, f"{case.name}_client", f"{case.name}-client")


def cases() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if (path / "spec.yaml").is_file())


def main() -> None:
    for case in cases():
        FileSet(case / "expected", render_case(case)).write()
        print(f"regenerated {case / 'expected'}")


if __name__ == "__main__":
    main()
