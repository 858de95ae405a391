"""``python -m tests.problems.regen``: record the real answers and rewrite docs/problems.md.

Starts the system (:mod:`tests.problems.system`), sends every request of
:data:`tests.problems.exchanges.REQUESTS`, writes docs/problem-examples.json
and renders docs/problems.md from it and the catalogue. The only way either
file changes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from codegen.generator.problems_doc import problems_markdown
from tests.problems.exchanges import DOC, REQUESTS, exchange, recorded, write_recorded
from tests.problems.system import problem_system


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="specfirst-problems-") as tmp,
        problem_system(Path(tmp)) as system,
    ):
        write_recorded([exchange(system, request) for request in REQUESTS])
    DOC.write_text(problems_markdown(recorded()), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
