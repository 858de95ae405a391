"""Benchmark: user-space instructions per proxied request, which the load does not change.

On a shared machine requests/s and even CPU time per request move with the
load; the number of instructions the gateway executes per request does not
(two measurements of the same code differ by about 1.5%). This runs a
gateway worker under ``valgrind --tool=callgrind`` with counting off, sends
a warm-up, switches counting on (``callgrind_control -i on``) for exactly
``--count`` GETs over ``--connections`` keep-alive connections to the fast
upstream of bench/gateway.py, and divides. With ``--baseline DIR`` (another
checkout, e.g. ``/work/main`` or a ``git worktree`` of the commit before a
change) both are measured in the same run, side by side, and the ratio is
printed. It installs nothing: without valgrind it says so and exits 2
(``apt-get install -y valgrind``).

Usage::

    .venv/bin/python bench/gateway_instructions.py [--count 2000] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.gateway import GATEWAY_SPECS, PYTHON, UPSTREAMS, free_port, running  # noqa: E402

PATH = "/items/1"
STARTUP = 300.0  # seconds: an import-heavy process under valgrind, on a loaded machine


def client(port: int, count: int, connections: int) -> None:
    """``count`` sequential rounds of GETs, one per connection, each answer read whole."""
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(connections)]
    request = f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode()
    try:
        for _ in range(count // connections):
            for sock in socks:
                sock.sendall(request)
            for sock in socks:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += sock.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise SystemExit(f"unexpected answer: {head[:80]!r}")
                found = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
                length = int(found.group(1)) if found else 0
                while len(body) < length:
                    body += sock.recv(65536)
    finally:
        for sock in socks:
            sock.close()


def measure(repo: Path, upstream: int, count: int, connections: int, tmp: Path) -> float:
    """Instructions per request of the gateway in checkout ``repo``."""
    root = tmp / "project"
    (root / "specs").mkdir(parents=True)
    for name, text in GATEWAY_SPECS.items():
        (root / "specs" / name).write_text(textwrap.dedent(text).lstrip())
    (root / "specfirst.toml").write_text("".join(
        f'[services.{name}]\nupstream = "http://127.0.0.1:{upstream}"\n'
        for name in ("fast", "drf", "drft")
    ))  # fmt: skip
    port = free_port()
    out = tmp / "callgrind.out"
    argv = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={out}", PYTHON, "-m", "gateway", "gateway", "--root",
            str(root), "--port", str(port), "--workers", "1", "--no-access-log"]  # fmt: skip
    url = f"http://127.0.0.1:{port}{PATH}"
    with running(argv, url, tmp / "gateway.log", cwd=repo, timeout=STARTUP) as gateway:
        client(port, connections * 50, connections)  # warm-up, not counted
        control = ["callgrind_control"]
        subprocess.run([*control, "-i", "on", str(gateway.pid)], capture_output=True, check=True)
        client(port, count, connections)
        subprocess.run([*control, "-i", "off", str(gateway.pid)], capture_output=True, check=True)
        subprocess.run([*control, "-d", str(gateway.pid)], capture_output=True, check=True)
    counted = 0
    for dump in tmp.glob("callgrind.out*"):
        for line in dump.read_text(errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                counted = max(counted, int(line.split()[1]))
    return counted / (count // connections * connections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="requests counted")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections")
    parser.add_argument("--baseline", type=Path, help="another checkout, measured alongside")
    args = parser.parse_args()
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        print("missing: valgrind (install with: apt-get install -y valgrind)", file=sys.stderr)
        raise SystemExit(2)
    repos = {"this checkout": REPO_ROOT}
    if args.baseline:
        repos["baseline " + str(args.baseline)] = args.baseline.resolve()
    upstream = free_port()
    fast = [PYTHON, "-m", "uvicorn", "--app-dir", str(UPSTREAMS), "fast:app", "--port",
            str(upstream), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
            "--log-level", "warning"]  # fmt: skip
    with (
        tempfile.TemporaryDirectory(prefix="specfirst-instr-") as tmp,
        running(fast, f"http://127.0.0.1:{upstream}{PATH}", Path(tmp) / "fast.log"),
        ThreadPoolExecutor(len(repos)) as pool,
    ):
        jobs = {}
        for index, (name, repo) in enumerate(repos.items()):
            work = Path(tmp) / str(index)
            work.mkdir()
            jobs[name] = pool.submit(measure, repo, upstream, args.count, args.connections, work)
        figures = {name: job.result() for name, job in jobs.items()}
    print(f"\n{args.count} GETs over {args.connections} keep-alive connections, fast upstream,"
          " one gateway worker under callgrind\n")  # fmt: skip
    for name, value in figures.items():
        print(f"{name:<40}{value:>12,.0f} instructions/request")
    if args.baseline:
        this, base = figures.values()
        print(f"{'ratio this / baseline':<40}{this / base:>12.3f}")


if __name__ == "__main__":
    main()
