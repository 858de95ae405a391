"""Several ``serve --mock`` servers in one real process, for conformance runs.

``python -m tests.mock.mock_host PORT PARENT SEED PACKAGE=SPEC...`` serves each
already generated ``PARENT/PACKAGE`` under ``/PACKAGE/`` with the mock engine
of ``SPEC`` (``codegen.cli.mockserver.serve.serve_many``), on 127.0.0.1:PORT.
"""

from __future__ import annotations

import sys
from pathlib import Path

from codegen.cli.mockserver.serve import serve_many
from codegen.designer.mock.state import engine_for_spec


def main(argv: list[str]) -> None:
    port, parent, seed, *pairs = argv
    mounts = []
    for pair in pairs:
        package, _, spec = pair.partition("=")
        mounts.append((package, package, engine_for_spec(spec, seed=int(seed))))
    serve_many(Path(parent), mounts, "127.0.0.1", int(port))


if __name__ == "__main__":
    main(sys.argv[1:])
