"""Regenerate every golden ``expected/`` tree: ``python -m tests.codegen.golden.regen``.

The only way golden files change. Review the diff before committing it.
"""

from __future__ import annotations

import shutil

from tests.codegen.golden.support import CASES, case_names, render_case


def main() -> None:
    for case in case_names():
        files = render_case(case)
        target = CASES / case / "expected"
        shutil.rmtree(target, ignore_errors=True)
        for rel, text in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"regenerated {target} ({len(files)} files)")


if __name__ == "__main__":
    main()
