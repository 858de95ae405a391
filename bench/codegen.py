"""Benchmark: generating and serving GitHub's REST API, against baselines in the same run.

The spec is GitHub's REST API from the npm package ``@octokit/openapi``
(about 1,100 operations, 13 MB), cached under ``.cache/npm``. Every command
runs in its own child process, ``--repeat`` times (default 3); each figure is
the median with the spread (min-max) of those runs.

* **generate**: ``specfirst generate`` against datamodel-code-generator's
  pydantic models of the same spec: wall time and peak memory (max RSS, from
  ``wait4``) and the ratio specfirst / datamodel-codegen. Targets (issue 2):
  ratio <= 1.0, specfirst peak memory < 1 GiB.
* **serve**: ``specfirst serve`` from spawn until the server answers its first
  HTTP request on 127.0.0.1 (any status: ``GET /`` of a spec that declares no
  ``/`` answers 404, which is an answer), against the same command on the
  project's ``specs/orders.yaml`` as the baseline. Besides wall time it
  reports the CPU seconds the server process (and the children it waited for)
  had used when it answered, from ``/proc/<pid>/stat``: on a shared machine
  that figure moves much less with the load than wall time. Target
  (issue 12): GitHub's spec ready in under 5 s.

Children run under ``nice -n 10`` (``--nice``) so that a benchmark on a shared
machine stays polite; the load average is printed before and after.

Usage::

    .venv/bin/python bench/codegen.py [--only serve|generate] [--spec PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.gateway import free_port  # noqa: E402  (after sys.path setup)
from tests.support.npm import npm_package  # noqa: E402

OCTOKIT_VERSION = "23.0.2"
SERVE_BASELINE = REPO_ROOT / "specs" / "orders.yaml"
READY_TIMEOUT_SECONDS = 300.0
SERVE_TARGET_SECONDS = 5.0


@dataclass(frozen=True)
class Measurement:
    wall_seconds: float
    peak_rss_mib: float = 0.0
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class Summary:
    """The median run of a command and the spread of all its runs."""

    label: str
    runs: list[Measurement]

    @property
    def wall(self) -> float:
        return statistics.median(m.wall_seconds for m in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(m.cpu_seconds for m in self.runs)

    @property
    def peak_rss_mib(self) -> float:
        return statistics.median(m.peak_rss_mib for m in self.runs)

    @property
    def spread(self) -> str:
        walls = [m.wall_seconds for m in self.runs]
        return f"{min(walls):.2f}-{max(walls):.2f}"


def measure(argv: list[str]) -> Measurement:
    """Run ``argv`` to completion; wall time and the child's max RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, rusage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{argv[0]} failed:\n{stderr[-2000:]}")
    return Measurement(wall, rusage.ru_maxrss / 1024, rusage.ru_utime + rusage.ru_stime)


def measure_ready(argv: list[str], port: int) -> Measurement:
    """Spawn the server ``argv`` (listening on ``port``) and time it until it
    answers ``GET /``; then stop it. CPU seconds are the server's own and its
    waited-for children's (``ruff``, ...) at that moment."""
    url = f"http://127.0.0.1:{port}/"
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while not _answers(url):
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"{' '.join(argv)} exited before serving:\n{stderr[-2000:]}")
            if time.perf_counter() - start > READY_TIMEOUT_SECONDS:
                raise SystemExit(f"{' '.join(argv)}: not ready after {READY_TIMEOUT_SECONDS} s")
            time.sleep(0.02)
        wall = time.perf_counter() - start
        cpu = _cpu_seconds(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return Measurement(wall, cpu_seconds=cpu)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # a 404 or a 501 is an answer
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _cpu_seconds(pid: int) -> float:
    """utime + stime + cutime + cstime of ``pid`` (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # fields 14-17 of proc(5)
    return ticks / os.sysconf("SC_CLK_TCK")


def bin_path(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def repeated(label: str, repeat: int, run: Callable[[], Measurement]) -> Summary:
    runs = []
    for index in range(repeat):
        runs.append(run())
        print(f"  {label} run {index + 1}: {runs[-1].wall_seconds:.2f} s", flush=True)
    return Summary(label, runs)


def bench_generate(spec: Path, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        commands = {
            "specfirst generate": [bin_path("specfirst"), "generate", str(spec),
                                   "--out", str(out / "app")],
            "datamodel-codegen": [bin_path("datamodel-codegen"), "--input", str(spec),
                                  "--input-file-type", "openapi", "--output",
                                  str(out / "models.py"), "--output-model-type",
                                  "pydantic_v2.BaseModel", "--disable-timestamp"],
        }  # fmt: skip

        def run(argv: list[str]) -> Measurement:
            shutil.rmtree(out / "app", ignore_errors=True)
            return measure([*args.niced, *argv])

        results = [
            repeated(label, args.repeat, lambda a=argv: run(a)) for label, argv in commands.items()
        ]
    print(f"{'tool':<22}{'wall s':>10}{'spread':>14}{'peak MiB':>12}")
    for summary in results:
        row = f"{summary.label:<22}{summary.wall:>10.2f}{summary.spread:>14}"
        print(f"{row}{summary.peak_rss_mib:>12.0f}")
    ours, theirs = results
    ratio = ours.wall / theirs.wall
    print(f"ratio specfirst/datamodel-codegen wall time: {ratio:.2f} (target <= 1.00)")
    print(f"specfirst peak memory: {ours.peak_rss_mib:.0f} MiB (target < 1024)")


def bench_serve(spec: Path, args: argparse.Namespace) -> None:
    def serve(path: Path) -> Measurement:
        port = free_port()
        argv = [bin_path("specfirst"), "serve", str(path), "--port", str(port)]
        return measure_ready([*args.niced, *argv], port)

    baseline = repeated(f"serve {SERVE_BASELINE.name}", args.repeat, lambda: serve(SERVE_BASELINE))
    ours = repeated(f"serve {spec.name}", args.repeat, lambda: serve(spec))
    print(f"{'ready (spawn -> first answer)':<32}{'wall s':>10}{'spread':>14}{'CPU s':>10}")
    for summary in (baseline, ours):
        print(f"{summary.label:<32}{summary.wall:>10.2f}{summary.spread:>14}{summary.cpu:>10.2f}")
    print(f"ratio {spec.name}/{SERVE_BASELINE.name} ready time: {ours.wall / baseline.wall:.2f}")
    print(f"{spec.name} ready in {ours.wall:.2f} s (target < {SERVE_TARGET_SECONDS:.0f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, help="spec to use (default: GitHub's REST API)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median counts)")
    parser.add_argument("--only", choices=("generate", "serve"), help="run one benchmark")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the children")
    args = parser.parse_args()
    args.niced = ["nice", "-n", str(args.nice)] if args.nice else []
    spec = (
        args.spec
        or npm_package("@octokit/openapi", OCTOKIT_VERSION) / "generated" / "api.github.com.json"
    )
    print(f"spec: {spec} ({spec.stat().st_size / 1e6:.1f} MB)")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if args.only in (None, "generate"):
        bench_generate(spec, args)
    if args.only in (None, "serve"):
        bench_serve(spec, args)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
