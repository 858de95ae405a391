"""Benchmark: the gateway against direct access and nginx ``proxy_pass``, in one run.

Everything runs on 127.0.0.1 with ephemeral ports, and every load run is
bounded (``--duration`` seconds, ``--connections`` connections) with wrk:

* a fast upstream (raw ASGI, fixed JSON; uvicorn, uvloop + httptools, 1 worker)
  and a DRF upstream served by gunicorn twice: 2 sync workers (which close
  every connection, so no proxy can pool them) and 2 gthread workers with 4
  threads (keep-alive); each hit directly, through nginx (``proxy_pass`` with
  upstream keepalive, 2 workers) and through the gateway (``specfirst
  gateway``, 2 workers, access log off);
* added latency at one connection (fast upstream, direct vs gateway);
* route matching time for 10, 1,000 and 10,000 templates (segment trie), with
  a list of regexes as the naive reference.

Each run prints its table; the runs (``--repeat``, default 3) end with the
median and the spread (min-max) of every ratio against the targets of issue
14, with the load average at the start of each run (the machine is shared). It installs
nothing: it says what is missing (``apt-get install -y wrk nginx``) and exits 2.

Usage::

    .venv/bin/python bench/gateway.py [--duration 8] [--connections 32] [--repeat 3]
                                        [--soak SECONDS]
                                        [--matching-only]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
UPSTREAMS = Path(__file__).resolve().parent / "gateway_upstreams"
PYTHON = sys.executable

from codegen.core.routing.matcher import Matcher  # noqa: E402  (after sys.path setup)
from codegen.core.routing.templates import compile_path  # noqa: E402


@dataclass(frozen=True)
class Load:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    proxy_cpu_us: float | None = None  # CPU time of the proxy's processes per request
    # status -> count, when the run's Lua script prints "status <code> <count>" lines
    statuses: dict[int, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"benchmark process for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer within {timeout}s")


@contextmanager
def running(
    args: list[str], url: str, log: Path, cwd: Path = REPO_ROOT, timeout: float = 30
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as handle:
        process = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, cwd=cwd)
    try:
        wait_ready(url, process, timeout)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    found = re.fullmatch(r"([0-9.]+)(us|ms|s)", text.strip())
    if not found:
        raise ValueError(f"cannot read wrk latency {text!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds: user + system), from /proc."""
    found: dict[int, tuple[int, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return found


def tree_pids(root: int, processes: dict[int, tuple[int, float]] | None = None) -> set[int]:
    """Process ``root`` and all its descendants."""
    parents = {pid: parent for pid, (parent, _) in (processes or _processes()).items()}
    tree = {root}
    grew = True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(found)
        tree |= found
    return tree


def tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system) of process ``root`` and all its descendants."""
    processes = _processes()
    return sum(processes[pid][1] for pid in tree_pids(root, processes) if pid in processes)


def wrk(
    name: str,
    url: str,
    duration: int,
    connections: int,
    threads: int,
    *,
    proxy: int | None = None,
    script: Path | None = None,
) -> Load:
    """One bounded wrk run (plus a short warm-up) and its parsed figures; with
    ``proxy`` (a pid), also the CPU time that process tree spent per request;
    with a Lua ``script``, the requests it makes and the statuses it prints."""
    scripted = ["-s", str(script)] if script else []
    base = ["wrk", f"-t{threads}", f"-c{connections}", "--latency", *scripted, url]
    subprocess.run([*base[:3], "-d2s", *base[3:]], capture_output=True, check=True, timeout=60)
    cpu_before = tree_cpu_seconds(proxy) if proxy else 0.0
    out = subprocess.run(
        [*base[:3], f"-d{duration}s", *base[3:]],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    ).stdout  # fmt: skip
    cpu = tree_cpu_seconds(proxy) - cpu_before if proxy else None
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    per_request = cpu / total * 1e6 if cpu is not None and total else None
    statuses = {int(code): int(n) for code, n in re.findall(r"^status (\d+) (\d+)$", out, re.M)}
    return Load(name, rps, p50, p99, count, per_request, statuses)


def nginx_conf(prefix: Path, port: int, fast: int, drf: int, drft: int) -> str:
    user = "user root;" if os.geteuid() == 0 else ""
    return textwrap.dedent(f"""
        {user}
        worker_processes 2;
        pid {prefix}/nginx.pid;
        error_log {prefix}/error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            access_log off;
            client_body_temp_path {prefix}/body;
            proxy_temp_path {prefix}/proxy;
            fastcgi_temp_path {prefix}/fastcgi;
            uwsgi_temp_path {prefix}/uwsgi;
            scgi_temp_path {prefix}/scgi;
            upstream fast {{ server 127.0.0.1:{fast}; keepalive 64; }}
            upstream drf {{ server 127.0.0.1:{drf}; keepalive 64; }}
            upstream drft {{ server 127.0.0.1:{drft}; keepalive 64; }}
            server {{
                listen 127.0.0.1:{port};
                location /drft/ {{
                    proxy_pass http://drft;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                }}
                location /drf/ {{
                    proxy_pass http://drf;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                }}
                location / {{
                    proxy_pass http://fast;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                }}
            }}
        }}
    """)


GATEWAY_SPECS = {
    "fast.yaml": """
        openapi: 3.1.0
        info: {title: fast, version: "1"}
        paths:
          /items/{itemId}:
            get:
              operationId: getFastItem
              parameters: [{name: itemId, in: path, required: true, schema: {type: integer}}]
              responses: {"200": {description: ok}}
    """,
    "drf.yaml": """
        openapi: 3.1.0
        info: {title: drf, version: "1"}
        paths:
          /drf/items/{itemId}:
            get:
              operationId: getDrfItem
              parameters: [{name: itemId, in: path, required: true, schema: {type: integer}}]
              responses: {"200": {description: ok}}
    """,
    "drft.yaml": """
        openapi: 3.1.0
        info: {title: drft, version: "1"}
        paths:
          /drft/items/{itemId}:
            get:
              operationId: getDrfThreadedItem
              parameters: [{name: itemId, in: path, required: true, schema: {type: integer}}]
              responses: {"200": {description: ok}}
    """,
}


def _best_time(matcher: Matcher[str], paths: list[str], repeats: int = 7) -> float:
    """Microseconds per match, best of ``repeats`` (the machine is shared: the
    minimum is the cost, the rest is other processes)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for path in paths:
            matcher.match("GET", path)
        best = min(best, time.perf_counter() - started)
    return best / len(paths) * 1e6


def _sample(rng: random.Random, templates: list[str], count: int) -> list[str]:
    """``count`` request paths, each built from a random template."""
    chosen = rng.choices(templates, k=count)
    return [t.replace("{id}", str(rng.randrange(10**6))) for t in chosen]


def route_matching(
    sizes: tuple[int, ...] = (10, 1_000, 10_000),
) -> list[tuple[int, float, float, float]]:
    """(routes, trie µs/match on 20 distinct paths, trie µs/match on 2,000
    distinct paths spread over the table, regex-list µs/match) per size.

    The first is the algorithm's cost; the second adds CPU-cache misses, which
    grow with the table's memory and with what else runs on the machine."""
    rng = random.Random(4)
    results = []
    for size in sizes:
        templates = [
            f"/r{i}/{{id}}/s{rng.randrange(5)}" if i % 3 else f"/r{i}/items/{{id}}"
            for i in range(size)
        ]
        matcher: Matcher[str] = Matcher()
        for template in templates:
            matcher.add(compile_path(template), "GET", template)

        hot = _best_time(matcher, _sample(rng, templates, 20) * 100)
        spread = _best_time(matcher, _sample(rng, templates, 2000))
        regexes = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "([^/]+)", t) + "$"), t) for t in templates
        ]
        paths = _sample(rng, templates, 200)
        started = time.perf_counter()
        for path in paths:
            next((t for rx, t in regexes if rx.match(path)), None)
        naive = (time.perf_counter() - started) / len(paths) * 1e6
        results.append((size, hot, spread, naive))
    return results


def missing_tools() -> list[str]:
    needed = {"wrk": "apt-get install -y wrk", "nginx": "apt-get install -y nginx"}
    found = [f"{tool} (install with: {how})" for tool, how in needed.items() if not _which(tool)]
    if not shutil.which("gunicorn", path=str(Path(PYTHON).parent)):
        found.append("gunicorn (pip install gunicorn)")
    return found


def _which(tool: str) -> str | None:
    return shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per load run (1-60)")
    parser.add_argument("--connections", type=int, default=32, help="connections (1-256)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--repeat", type=int, default=3, help="runs (median and spread)")
    parser.add_argument(
        "--matching-only", action="store_true", help="only time route matching (no load runs)"
    )
    parser.add_argument(
        "--soak", type=int, metavar="SECONDS",
        help="only a soak: 60%% of the measured maximum for SECONDS, RSS and fds every 10 s",
    )  # fmt: skip
    args = parser.parse_args()
    if args.soak:
        from bench.gateway_soak import soak  # noqa: PLC0415  (imports this module)

        soak(max(10, min(7200, args.soak)), max(1, min(256, args.connections)))
        return
    if args.matching_only:
        print_matching(route_matching())
        return
    duration = max(1, min(60, args.duration))
    connections = max(1, min(256, args.connections))
    missing = missing_tools()
    if missing:
        print("missing: " + "; ".join(missing), file=sys.stderr)
        raise SystemExit(2)
    runs = []
    for run in range(1, args.repeat + 1):
        load = load_average()
        print(f"run {run}/{args.repeat} (load average {load})", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="specfirst-bench-") as tmp:
            loads = run_loads(Path(tmp), duration, connections, args.threads)
        matching = route_matching()
        print(f"\n== run {run}, load average {load} at its start")
        report(loads, matching, duration, connections)
        runs.append((load, ratios(loads, matching)))
    summarise(runs)


def run_loads(tmp: Path, duration: int, connections: int, threads: int) -> dict[str, Load]:
    fast, drf, drft, nginx_port, gateway_port = (free_port() for _ in range(5))
    bin_dir = Path(PYTHON).parent
    root = tmp / "project"
    (root / "specs").mkdir(parents=True)
    for name, text in GATEWAY_SPECS.items():
        (root / "specs" / name).write_text(textwrap.dedent(text).lstrip())
    (root / "specfirst.toml").write_text(
        f'[services.fast]\nupstream = "http://127.0.0.1:{fast}"\n'
        f'[services.drf]\nupstream = "http://127.0.0.1:{drf}"\n'
        f'[services.drft]\nupstream = "http://127.0.0.1:{drft}"\n'
    )
    prefix = tmp / "nginx"
    prefix.mkdir()
    (prefix / "nginx.conf").write_text(nginx_conf(prefix, nginx_port, fast, drf, drft))
    fast_cmd = [PYTHON, "-m", "uvicorn", "--app-dir", str(UPSTREAMS), "fast:app", "--port",
                str(fast), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                "--log-level", "warning"]  # fmt: skip
    drf_cmd = [str(bin_dir / "gunicorn"), "--chdir", str(UPSTREAMS), "-w", "2", "-b",
               f"127.0.0.1:{drf}", "--log-level", "warning", "drf:application"]  # fmt: skip
    drft_cmd = [str(bin_dir / "gunicorn"), "--chdir", str(UPSTREAMS), "-w", "2", "-k", "gthread",
                "--threads", "4", "--keep-alive", "5", "-b", f"127.0.0.1:{drft}",
                "--log-level", "warning", "drf:application"]  # fmt: skip
    nginx_cmd = [_which("nginx") or "nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                 "-g", "daemon off;"]  # fmt: skip
    gateway_cmd = [PYTHON, "-m", "gateway", "gateway", "--root", str(root), "--port",
                   str(gateway_port), "--workers", "2", "--no-access-log"]  # fmt: skip
    loads: dict[str, Load] = {}
    item = "/items/1"
    drf_item = "/drf/items/1"
    drft_item = "/drft/items/1"
    with (
        running(fast_cmd, f"http://127.0.0.1:{fast}{item}", tmp / "fast.log"),
        running(drf_cmd, f"http://127.0.0.1:{drf}{drf_item}", tmp / "drf.log"),
        running(drft_cmd, f"http://127.0.0.1:{drft}{drft_item}", tmp / "drft.log"),
        running(nginx_cmd, f"http://127.0.0.1:{nginx_port}{item}", tmp / "nginx.log") as nginx,
        running(gateway_cmd, f"http://127.0.0.1:{gateway_port}{item}", tmp / "gateway.log") as gw,
    ):
        proxies = {"nginx": nginx.pid, "gateway": gw.pid}
        plan = [
            ("fast direct", f"http://127.0.0.1:{fast}{item}"),
            ("fast via nginx", f"http://127.0.0.1:{nginx_port}{item}"),
            ("fast via gateway", f"http://127.0.0.1:{gateway_port}{item}"),
            ("drf direct", f"http://127.0.0.1:{drf}{drf_item}"),
            ("drf via nginx", f"http://127.0.0.1:{nginx_port}{drf_item}"),
            ("drf via gateway", f"http://127.0.0.1:{gateway_port}{drf_item}"),
            ("drf gthread direct", f"http://127.0.0.1:{drft}{drft_item}"),
            ("drf gthread via nginx", f"http://127.0.0.1:{nginx_port}{drft_item}"),
            ("drf gthread via gateway", f"http://127.0.0.1:{gateway_port}{drft_item}"),
        ]
        for name, url in plan:
            proxy = next((pid for key, pid in proxies.items() if name.endswith(key)), None)
            loads[name] = wrk(name, url, duration, connections, threads, proxy=proxy)
            print(f"  measured {name}", file=sys.stderr)
        for name, url in plan[:3:2]:
            one = wrk(f"{name} (1 conn)", url, duration, 1, 1)
            loads[one.name] = one
            print(f"  measured {one.name}", file=sys.stderr)
    return loads


def print_matching(matching: list[tuple[int, float, float, float]]) -> None:
    print(f"\n{'routes':>8}{'trie us/match':>16}{'trie, 2000 paths':>18}{'regex list':>12}")
    for size, hot, spread, naive in matching:
        print(f"{size:>8}{hot:>16.2f}{spread:>18.2f}{naive:>12.1f}")


def report(
    loads: dict[str, Load],
    matching: list[tuple[int, float, float, float]],
    duration: int,
    conns: int,
) -> None:
    print(f"\nLoad: wrk, {duration}s per run, {conns} connections (1 for the latency rows), "
          "GET of a small JSON body, 127.0.0.1\n")  # fmt: skip
    print(f"{'scenario':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}"
          f"{'proxy CPU us/req':>18}")  # fmt: skip
    for load in loads.values():
        cpu = f"{load.proxy_cpu_us:.0f}" if load.proxy_cpu_us is not None else "-"
        print(f"{load.name:<28}{load.requests_per_second:>10.0f}{load.p50_ms:>10.2f}"
              f"{load.p99_ms:>10.2f}{load.errors:>8}{cpu:>18}")  # fmt: skip
    print_matching(matching)


def ratios(
    loads: dict[str, Load], matching: list[tuple[int, float, float, float]]
) -> list[tuple[str, float, str]]:
    """(name, value, target) of one run: the targets of issue 14."""

    def rps(name: str) -> float:
        return loads[name].requests_per_second

    def cpu(name: str) -> float:
        return loads[name].proxy_cpu_us or 0.0

    added = loads["fast via gateway (1 conn)"].p50_ms - loads["fast direct (1 conn)"].p50_ms
    return [
        ("gateway / nginx, fast upstream", rps("fast via gateway") / rps("fast via nginx"),
         ">= 0.75"),
        ("nginx / direct, fast upstream", rps("fast via nginx") / rps("fast direct"),
         "(reference)"),
        ("gateway / direct, DRF gthread",
         rps("drf gthread via gateway") / rps("drf gthread direct"), ">= 0.8"),
        ("nginx / direct, DRF gthread", rps("drf gthread via nginx") / rps("drf gthread direct"),
         "(reference)"),
        ("gateway / direct, DRF sync", rps("drf via gateway") / rps("drf direct"),
         "(no pooling)"),
        ("nginx / direct, DRF sync", rps("drf via nginx") / rps("drf direct"), "(reference)"),
        ("proxy CPU us/req, DRF gthread", cpu("drf gthread via gateway"), "<= 150"),
        ("  nginx, same", cpu("drf gthread via nginx"), "(reference)"),
        ("proxy CPU us/req, fast upstream", cpu("fast via gateway"), ""),
        ("  gateway / nginx, same", cpu("fast via gateway") / cpu("fast via nginx"),
         "(reference)"),
        ("gateway p99 ms, DRF gthread", loads["drf gthread via gateway"].p99_ms, ""),
        ("  nginx, same", loads["drf gthread via nginx"].p99_ms, "(reference)"),
        ("added p50 at 1 conn (ms)", added, "< 0.25"),
        ("matching 10,000 / 10 routes", matching[-1][1] / matching[0][1], "<= 1.2"),
        ("  same, 2,000 distinct paths", matching[-1][2] / matching[0][2], "(cache misses)"),
    ]  # fmt: skip


def summarise(runs: list[tuple[str, list[tuple[str, float, str]]]]) -> None:
    """Median and spread (min-max) of each ratio over the runs, with the
    machine's load average when each run started."""
    print(f"\n{len(runs)} runs; load average (1 min) at the start of each: "
          + ", ".join(load for load, _ in runs))  # fmt: skip
    print(f"\n{'ratio':<36}{'median':>8}{'spread':>16}  target")
    for index, (name, _, target) in enumerate(runs[0][1]):
        values = [figures[index][1] for _, figures in runs]
        spread = f"{min(values):.2f}-{max(values):.2f}"
        print(f"{name:<36}{statistics.median(values):>8.2f}{spread:>16}  {target}")


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


if __name__ == "__main__":
    main()
