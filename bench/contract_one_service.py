"""Benchmark: ``specfirst test NAME`` of a new service, against ``--no-gateway`` in the same run.

A clone of this repository (``git clone --local``, nothing downloaded) in a temporary
directory gets a new service (``specfirst new inventory``, as docs/quickstart.md does);
then, ``--repeat`` times (default 3), each with its own seed:

* **scoped**: ``specfirst test inventory``, the project's defaults (``[tool.specfirst.test]``):
  inventory, then the gateway's operations routed to inventory (docs/contract-testing.md);
* **baseline**: ``specfirst test inventory --no-gateway``, the service alone.

Each figure is the wall time from spawn to exit, as the median with the spread (min-max),
and the ratio scoped / baseline of the medians: what the gateway part adds. Target
(issue 17): scoped under 30 s. Children run under ``nice -n 10``; the load average is
printed before and after.

Usage::

    .venv/bin/python bench/contract_one_service.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SPECFIRST = str(Path(sys.executable).with_name("specfirst"))
TARGET_SECONDS = 30.0


def run(root: Path, *args: str) -> float:
    """Seconds ``specfirst ARGS`` took in ``root``; a failure stops the benchmark."""
    started = time.monotonic()
    done = subprocess.run(
        ["nice", "-n", "10", SPECFIRST, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"specfirst {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr}")
    return elapsed


def summary(name: str, times: list[float]) -> str:
    return (
        f"{name:9} median {statistics.median(times):6.1f} s  "
        f"spread {min(times):.1f}-{max(times):.1f} s  ({', '.join(f'{t:.1f}' for t in times)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="specfirst-bench-test-") as tmp:
        root = Path(tmp) / "project"
        subprocess.run(["git", "clone", "-q", "--local", str(REPO), str(root)], check=True)
        run(root, "new", "inventory")
        scoped: list[float] = []
        baseline: list[float] = []
        for seed in range(1, options.repeat + 1):
            scoped.append(run(root, "test", "inventory", "--seed", str(seed)))
            baseline.append(run(root, "test", "inventory", "--no-gateway", "--seed", str(seed)))
    print(summary("scoped", scoped))
    print(summary("baseline", baseline))
    ratio = statistics.median(scoped) / statistics.median(baseline)
    verdict = "met" if statistics.median(scoped) < TARGET_SECONDS else "NOT met"
    print(f"ratio scoped / baseline: {ratio:.2f}; target < {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
