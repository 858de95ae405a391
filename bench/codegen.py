"""Benchmark: specfirst's whole DRF output vs datamodel-code-generator's models.

Both tools run on the same spec (GitHub's REST API from the npm package
``@octokit/openapi``, about 1,000 operations) in the same run, each in its own
child process so that wall time and peak memory (max RSS, from ``wait4``) are
measured the same way. Prints both and the ratio specfirst / datamodel-codegen.

Targets (issue 2): ratio <= 1.0, specfirst peak memory < 1 GiB.

Usage::

    .venv/bin/python bench/codegen.py [--spec PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.support.npm import npm_package  # noqa: E402  (after sys.path setup)

OCTOKIT_VERSION = "23.0.2"


@dataclass(frozen=True)
class Measurement:
    wall_seconds: float
    peak_rss_mib: float


def measure(argv: list[str]) -> Measurement:
    """Run ``argv`` to completion; wall time and the child's max RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, rusage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{argv[0]} failed:\n{stderr[-2000:]}")
    return Measurement(wall, rusage.ru_maxrss / 1024)  # ru_maxrss is KiB on Linux


def bin_path(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, help="spec to generate (default: GitHub's REST API)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the best is kept")
    args = parser.parse_args()
    spec = (
        args.spec
        or npm_package("@octokit/openapi", OCTOKIT_VERSION) / "generated" / "api.github.com.json"
    )

    results: dict[str, Measurement] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        commands = {
            "specfirst generate": [
                bin_path("specfirst"),
                "generate",
                str(spec),
                "--out",
                str(out / "app"),
            ],
            "datamodel-codegen": [
                bin_path("datamodel-codegen"),
                "--input",
                str(spec),
                "--input-file-type",
                "openapi",
                "--output",
                str(out / "models.py"),
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--disable-timestamp",
            ],
        }
        for label, argv in commands.items():
            runs = []
            for _ in range(args.repeat):
                shutil.rmtree(out / "app", ignore_errors=True)
                runs.append(measure(argv))
            results[label] = min(runs, key=lambda m: m.wall_seconds)

    print(f"spec: {spec} ({spec.stat().st_size / 1e6:.1f} MB)")
    print(f"{'tool':<22}{'wall s':>10}{'peak MiB':>12}")
    for label, m in results.items():
        print(f"{label:<22}{m.wall_seconds:>10.2f}{m.peak_rss_mib:>12.0f}")
    ours, theirs = results["specfirst generate"], results["datamodel-codegen"]
    ratio = ours.wall_seconds / theirs.wall_seconds
    print(f"ratio specfirst/datamodel-codegen wall time: {ratio:.2f} (target <= 1.00)")
    print(f"specfirst peak memory: {ours.peak_rss_mib:.0f} MiB (target < 1024)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
