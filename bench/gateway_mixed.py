"""Benchmark: a mixed workload through the whole reference system, in one run.

``bench/gateway.py`` measures the proxy on one small GET. Users run reads and
writes against all three services, with tokens checked at the edge and rate
limits on. This starts that system (``specfirst up --base-port 0`` on fresh
SQLite files, or PostgreSQL with ``--database-url``) on 127.0.0.1 with the
gateway's rate limit on, in Redis (``rate_limit = { rate = 1e6 }``: every
request pays for the bucket, none is refused), and then:

1. stocks it through the gateway: a first admin (``manage.py createadmin``), its
   RS256 token from ``POST /oauth/token`` (client credentials), a category,
   products, a customer, and the customer's own token (password grant), so the
   edge verifies real login tokens against the JWKS it fetched;
2. runs wrk for ``--duration`` seconds with a Lua script that draws each request
   from a fixed, seeded mix (``--write-share`` of them ``POST /orders`` with an
   ``Idempotency-Key`` of its own, which goes on to catalog's stock reservation;
   the rest reads: products, one product, categories, the customer's orders, the
   customer's own record), and counts the statuses it gets;
3. as the baseline in the same run: ``GET /products/{id}`` straight at the catalog
   service and through the gateway.

It prints, per run: requests/s, p50 and p99, statuses, and the gateway's CPU
per request (user + system time of its process tree, from ``/proc``); then the
median and spread over ``--repeat`` runs. A non-2xx answer in the mixed run is
a failure of the system, not noise: the run exits 1 if any is seen.

Usage::

    .venv/bin/python bench/gateway_mixed.py [--duration 10] [--connections 16]
        [--repeat 3] [--write-share 0.2] [--database-url postgres://postgres@127.0.0.1:5432/]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.gateway import PYTHON, Load, load_average, tree_pids, wrk  # noqa: E402
from codegen.core.auth.defaults import DEV_API_KEY  # noqa: E402

READY_TIMEOUT = 180.0
PASSWORD = "mixed-bench-password"
PRODUCTS = 8
STOCK = 1_000_000  # the schema's maximum: orders never run out within a run


@dataclass(frozen=True)
class Shop:
    """What the workload reads and writes: ids and the customer's token."""

    products: list[str]
    customer: str
    token: str


@dataclass(frozen=True)
class MixedRun:
    load: Load
    statuses: dict[int, int]


def project_root(tmp: Path) -> Path:
    """This checkout's specs and services, with the rate limit switched on in Redis."""
    root = tmp / "project"
    root.mkdir()
    for name in ("specs", "services"):
        (root / name).symlink_to(REPO_ROOT / name)
    prefix = f"specfirst:bench-mixed:{secrets.token_hex(4)}:"
    (root / "pyproject.toml").write_text(
        (REPO_ROOT / "pyproject.toml").read_text()
        + textwrap.dedent(f"""
            [tool.specfirst.gateway.rate_limit]
            rate = 1000000.0
            burst = 1000000
            redis_url = "redis://127.0.0.1:6379/0"
            redis_prefix = "{prefix}"
            """)
    )
    return root


@contextmanager
def reference_system(root: Path, database_url: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``specfirst up --json`` on ephemeral ports; yields its pid and the URLs.

    Its output goes to a file: a pipe nobody reads would fill up with the
    access log and stall the whole system."""
    command = [str(Path(PYTHON).parent / "specfirst"), "up", "--root", str(root),
               "--base-port", "0", "--json", "--database-url", database_url]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPECFIRST_", "DJANGO_"))}
    log = root.parent / "up.jsonl"
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        yield process.pid, _ready_urls(process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ready_urls(process: subprocess.Popen[bytes], log: Path) -> dict[str, str]:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            event = json.loads(line) if line.startswith("{") else {}
            if event.get("event") == "ready":
                return dict(event["urls"])
            if event.get("event") == "not-ready":
                raise SystemExit(f"the system did not become ready: {line}")
        if process.poll() is not None:
            raise SystemExit(f"specfirst up exited with {process.returncode}; see {log}")
        time.sleep(0.5)
    raise SystemExit(f"the system was not ready within {READY_TIMEOUT:.0f} s")


def gateway_pid(up: int) -> int:
    """The gateway's supervisor process among ``specfirst up``'s children."""
    for pid in sorted(tree_pids(up)):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"gateway" in argv and b"-m" in argv:
            return pid
    raise SystemExit("no gateway process found under specfirst up")


def stock_the_shop(root: Path, database_url: str, gateway: str) -> Shop:
    """Create the data the workload uses, through the gateway, with real login tokens."""
    admin, secret = f"bench-admin-{secrets.token_hex(4)}", secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DATABASE_URL": _service_database(database_url, "customers"), "SECRET": secret}
    subprocess.run(
        [PYTHON, str(root / "services" / "customers" / "manage.py"), "createadmin", admin,
         "--secret-env", "SECRET"], env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with httpx.Client(base_url=gateway, timeout=30) as client:
        admin_token = _token(client, {"grant_type": "client_credentials"}, (admin, secret))
        key = {"X-API-Key": DEV_API_KEY}
        slug = f"bench-{secrets.token_hex(4)}"
        kind = {"name": "Bench", "slug": slug}
        category = _created(client.post("/categories", json=kind, headers=key))
        products = [
            _created(client.post("/products", headers=key, json={
                "sku": f"B{secrets.token_hex(4).upper()}-{n}", "name": f"Bench item {n}",
                "category_id": category, "price": "2.50", "currency": "EUR",
                "stock": STOCK, "status": "active"}))
            for n in range(PRODUCTS)
        ]  # fmt: skip
        email = f"{slug}@example.com"
        person = {"email": email, "name": "Bench", "password": PASSWORD}
        auth = {"Authorization": f"Bearer {admin_token}"}
        customer = _created(client.post("/customers", json=person, headers=auth))
        token = _token(client, {"grant_type": "password", "username": email, "password": PASSWORD})
    return Shop(products, customer, token)


def _service_database(base: str, service: str) -> str:
    """The database ``specfirst up --database-url base`` gives ``service``."""
    if base.startswith("sqlite:///"):
        return f"{base.rstrip('/')}/{service}.sqlite3"
    return base.rstrip("/") + "/" + service


def _created(response: httpx.Response) -> str:
    if response.status_code != 201:
        raise SystemExit(f"{response.request.method} {response.request.url}: "
                         f"{response.status_code} {response.text[:300]}")  # fmt: skip
    return str(response.json()["id"])


def _token(client: httpx.Client, form: dict[str, str], auth: tuple[str, str] | None = None) -> str:
    response = client.post(
        "/oauth/token", data=form, auth=httpx.BasicAuth(*auth) if auth else httpx.USE_CLIENT_DEFAULT
    )
    if response.status_code != 200:
        raise SystemExit(f"login failed: {response.status_code} {response.text[:300]}")
    return str(response.json()["access_token"])


def lua_script(shop: Shop, write_share: float) -> str:
    """wrk's script: each thread draws from the same seeded mix and counts statuses."""
    bearer = f"Bearer {shop.token}"
    reads = [("/products?limit=20", False), ("/categories", False), ("/orders?limit=10", True),
             (f"/customers/{shop.customer}", True)]  # fmt: skip
    reads += [(f"/products/{product}", False) for product in shop.products]
    order = {
        "customer_id": shop.customer,
        "lines": [{"product_id": shop.products[0], "quantity": 1}],
        "shipping_address": {"line1": "1 Main St", "city": "London",
                             "postal_code": "SW1A 1AA", "country": "GB"},
        "payment": {"method": "voucher", "code": "GIFT-2024"},
    }  # fmt: skip
    read_lines = "\n".join(
        f"  reads[#reads + 1] = wrk.format('GET', {json.dumps(path)}"
        + (f", {{ Authorization = {json.dumps(bearer)} }})" if auth else ")")
        for path, auth in reads
    )
    return textwrap.dedent("""
        local threads = {}
        local next_id = 0
        function setup(thread)
          next_id = next_id + 1
          thread:set("thread_id", next_id)
          table.insert(threads, thread)
        end
        function init(args)
          math.randomseed(1000 + thread_id)
          statuses = {}
          writes = 0
          reads = {}
        %(reads)s
        end
        function request()
          if math.random() < %(share)r then
            writes = writes + 1
            local key = "bench-" .. thread_id .. "-" .. writes .. "-" .. %(nonce)s
            local headers = { Authorization = %(bearer)s, ["Content-Type"] = "application/json",
                              ["Idempotency-Key"] = key }
            return wrk.format("POST", "/orders", headers, %(body)s)
          end
          return reads[math.random(#reads)]
        end
        function response(status, headers, body)
          statuses[status] = (statuses[status] or 0) + 1
        end
        function done(summary, latency, requests)
          local total = {}
          for _, thread in ipairs(threads) do
            for status, count in pairs(thread:get("statuses")) do
              total[status] = (total[status] or 0) + count
            end
          end
          for status, count in pairs(total) do
            io.write(string.format("status %%d %%d\\n", status, count))
          end
        end
        """) % {
        "reads": read_lines,
        "share": write_share,
        "bearer": json.dumps(bearer),
        "nonce": json.dumps(secrets.token_hex(4)),
        "body": json.dumps(json.dumps(order)),
    }


def mixed(url: str, script: Path, duration: int, connections: int, gateway: int) -> MixedRun:
    load = wrk("mixed via gateway", url, duration, connections, 2, proxy=gateway, script=script)
    return MixedRun(load, load.statuses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="runs (median and spread)")
    parser.add_argument("--write-share", type=float, default=0.2,
                        help="share of requests that place an order")  # fmt: skip
    parser.add_argument("--database-url", default="", help="default: SQLite files in a temp dir")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        raise SystemExit(2)
    with tempfile.TemporaryDirectory(prefix="specfirst-mixed-") as name:
        tmp = Path(name)
        database_url = args.database_url or f"sqlite:///{tmp / 'db'}"
        (tmp / "db").mkdir()
        root = project_root(tmp)
        with reference_system(root, database_url) as (up, urls):
            gateway = gateway_pid(up)
            shop = stock_the_shop(root, database_url, urls["gateway"])
            script = tmp / "mixed.lua"
            script.write_text(lua_script(shop, args.write_share))
            product = f"/products/{shop.products[1]}"
            runs: list[dict[str, float]] = []
            failed = False
            for number in range(1, args.repeat + 1):
                at_start = load_average()
                run = mixed(urls["gateway"], script, args.duration, args.connections, gateway)
                via = wrk("read via gateway", urls["gateway"] + product, args.duration,
                          args.connections, 2, proxy=gateway)  # fmt: skip
                direct = wrk("read direct", urls["catalog"] + product, args.duration,
                             args.connections, 2)  # fmt: skip
                failed |= report(number, at_start, run, via, direct)
                runs.append({
                    "mixed req/s": run.load.requests_per_second,
                    "mixed p50 ms": run.load.p50_ms,
                    "mixed p99 ms": run.load.p99_ms,
                    "gateway CPU us/req, mixed": run.load.proxy_cpu_us or 0.0,
                    "read: gateway / direct": via.requests_per_second / direct.requests_per_second,
                    "read p99 ms via gateway": via.p99_ms,
                    "read p99 ms direct": direct.p99_ms,
                })  # fmt: skip
    summarise(runs)
    raise SystemExit(1 if failed else 0)


def report(number: int, at_start: str, run: MixedRun, via: Load, direct: Load) -> bool:
    """Print one run; True when the mixed run saw a non-2xx answer or a socket error."""
    print(f"\n== run {number}, load average {at_start} at its start")
    print(f"{'scenario':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}"
          f"{'gateway CPU us/req':>20}")  # fmt: skip
    for load in (run.load, via, direct):
        cpu = f"{load.proxy_cpu_us:.0f}" if load.proxy_cpu_us is not None else "-"
        print(f"{load.name:<22}{load.requests_per_second:>10.0f}{load.p50_ms:>10.2f}"
              f"{load.p99_ms:>10.2f}{load.errors:>8}{cpu:>20}")  # fmt: skip
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(run.statuses.items()))
    print(f"mixed statuses: {statuses}")
    unexpected = {s: n for s, n in run.statuses.items() if not 200 <= s < 300}
    return bool(unexpected) or run.load.errors > 0


def summarise(runs: list[dict[str, float]]) -> None:
    print(f"\n{len(runs)} runs")
    print(f"{'figure':<30}{'median':>10}{'spread':>20}")
    for key in runs[0]:
        values = [run[key] for run in runs]
        print(f"{key:<30}{statistics.median(values):>10.2f}"
              f"{f'{min(values):.2f}-{max(values):.2f}':>20}")  # fmt: skip


if __name__ == "__main__":
    main()
