"""Soak: the gateway at a fixed rate for a long time, its memory and descriptors watched.

``bench/gateway.py --soak SECONDS`` lands here. On 127.0.0.1: the fast
upstream and the gateway (2 workers, access log off). First the maximum is
measured (wrk, 5 s, ``--connections``); then wrk runs for ``SECONDS`` at 60%
of it, each connection pacing itself with a Lua ``delay()`` (wrk has no rate
option; :func:`paced` calibrates the pause). Every 10 s the gateway's resident
memory (sum of VmRSS over its process tree) and open descriptors (entries of
``/proc/<pid>/fd``) are recorded. It prints the series, first / last / max of
each, the rate reached, and the requests that failed (non-2xx or socket
errors), which must be 0; "flat" means the last sample is within 10% (RSS) or
16 descriptors of the first.

Example: ``.venv/bin/python bench/gateway.py --soak 600``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

from bench.gateway import (
    GATEWAY_SPECS,
    PYTHON,
    UPSTREAMS,
    free_port,
    load_average,
    running,
    tree_pids,
    wrk,
)

SAMPLE_EVERY = 10.0
SHARE = 0.6


def rss_and_fds(root: int) -> tuple[int, int]:
    """(KiB resident, open descriptors) summed over ``root``'s process tree."""
    rss = fds = 0
    for pid in tree_pids(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rss += int(next(ln for ln in status.splitlines() if ln.startswith("VmRSS")).split()[1])
            fds += len(list(Path(f"/proc/{pid}/fd").iterdir()))
        except (OSError, StopIteration):  # exited between listing and reading
            continue
    return rss, fds


def soak(seconds: int, connections: int) -> None:
    with tempfile.TemporaryDirectory(prefix="specfirst-soak-") as name:
        tmp = Path(name)
        fast, port = free_port(), free_port()
        root = tmp / "project"
        (root / "specs").mkdir(parents=True)
        (root / "specs" / "fast.yaml").write_text(
            textwrap.dedent(GATEWAY_SPECS["fast.yaml"]).lstrip()
        )
        (root / "specfirst.toml").write_text(
            f'[services.fast]\nupstream = "http://127.0.0.1:{fast}"\n'
        )
        upstream = [PYTHON, "-m", "uvicorn", "--app-dir", str(UPSTREAMS), "fast:app", "--port",
                    str(fast), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                    "--log-level", "warning"]  # fmt: skip
        gateway = [PYTHON, "-m", "gateway", "gateway", "--root", str(root), "--port", str(port),
                   "--workers", "2", "--no-access-log"]  # fmt: skip
        url = f"http://127.0.0.1:{port}/items/1"
        with (
            running(upstream, f"http://127.0.0.1:{fast}/items/1", tmp / "fast.log", timeout=120),
            running(gateway, url, tmp / "gateway.log", timeout=120) as gw,
        ):
            peak = wrk("max", url, 5, connections, 2).requests_per_second
            rate = SHARE * peak
            script = tmp / "pace.lua"
            pause_ms = paced(script, url, connections, rate)
            print(f"max {peak:.0f} req/s (load average {load_average()}); soaking {seconds} s "
                  f"at <= {rate:.0f} req/s ({connections} connections, {pause_ms:.2f} ms "
                  "between requests on each)", file=sys.stderr)  # fmt: skip
            samples: list[tuple[float, int, int]] = []
            done = threading.Event()

            started = time.monotonic()

            def watch() -> None:
                while not done.is_set():
                    samples.append((time.monotonic() - started, *rss_and_fds(gw.pid)))
                    done.wait(SAMPLE_EVERY)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            out = subprocess.run(
                ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                 str(script), url],
                capture_output=True, text=True, check=True, timeout=seconds + 120,
            ).stdout  # fmt: skip
            done.set()
            watcher.join()
            samples.append((time.monotonic() - started, *rss_and_fds(gw.pid)))
    report(out, samples)


def paced(script: Path, url: str, connections: int, rate: float) -> float:
    """Write a pacing script for ``rate`` and return its pause (ms) per request.

    A connection's cycle is its pause plus the request's own latency, so a pause
    of ``connections / rate`` alone undershoots the rate (by half at 60% of the
    maximum). A 5 s calibration run measures what a cycle adds to the pause, and
    the pause is shortened by that much.
    """
    cycle_ms = connections / rate * 1000
    script.write_text(f"function delay()\n  return {cycle_ms:.3f}\nend\n")
    achieved = wrk("calibration", url, 5, connections, 2, script=script).requests_per_second
    overhead_ms = connections / achieved * 1000 - cycle_ms
    pause_ms = max(0.0, cycle_ms - overhead_ms)
    script.write_text(f"function delay()\n  return {pause_ms:.3f}\nend\n")
    return pause_ms


def report(out: str, samples: list[tuple[float, int, int]]) -> None:
    print("\n  t (s)   RSS KiB   fds")
    for at, rss, fds in samples:
        print(f"{at:7.0f}{rss:10d}{fds:6d}")
    rss = [s[1] for s in samples]
    fds = [s[2] for s in samples]
    print(f"\nRSS KiB first {rss[0]}, last {rss[-1]}, max {max(rss)}; "
          f"fds first {fds[0]}, last {fds[-1]}, max {max(fds)}")  # fmt: skip
    summary = [line.strip() for line in out.splitlines()
               if "requests in" in line or "Requests/sec" in line or "Non-2xx" in line
               or "Socket errors" in line or " 99%" in line or " 50%" in line]  # fmt: skip
    print("wrk: " + "; ".join(summary))
    failed = "Non-2xx" in out or "Socket errors" in out
    flat = rss[-1] <= rss[0] * 1.1 and fds[-1] <= fds[0] + 16
    print(f"failures: {'yes' if failed else 'none'}; memory and descriptors "
          f"{'flat' if flat else 'NOT flat'}")  # fmt: skip
