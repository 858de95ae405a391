"""Benchmark: what the contract layer costs a service, against plain DRF, in one run.

One gunicorn process (the catalog project, gthread workers, access log off)
serves both sides over the same ``Category`` model and the same database:

* **contract**: the generated-and-implemented operations ``getCategory``
  (``GET /categories/{id}``) and ``createCategory`` (``POST /categories``):
  parameters and body validated by the contract runtime, security from the
  spec, ETag and Location headers, problem+json errors;
* **baseline**: an equivalent hand-written DRF ``ModelViewSet`` with a
  ``ModelSerializer`` (``/baseline/categories``), with the same authentication
  class and an API-key check on writes.

wrk drives each endpoint for ``--duration`` seconds at ``--connections``
connections (the create runs send a unique slug per request), after a
warm-up. It prints requests/s, p50 and p99 latency per endpoint and the
ratio contract / baseline; the target of issue 3 is a ratio >= 0.9.

Usage::

    .venv/bin/python bench/service.py [--duration 10] [--connections 16] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = REPO_ROOT / "services" / "catalog"
API_KEY = "specfirst-bench-api-key"
TARGET_RATIO = 0.9

BASELINE_SETTINGS = """
from catalog_site.settings import *  # noqa: F403  (the catalog's own settings)

ROOT_URLCONF = "sf_bench_urls"
"""

BASELINE_URLS = """
from django.urls import include, path
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from catalog.models import Category
from servicekit.auth import SpecIdentityAuthentication


class CategorySerializer(serializers.ModelSerializer):
    parent_id = serializers.PrimaryKeyRelatedField(
        source="parent", queryset=Category.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "parent_id", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class WritesNeedCredentials(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user is not None


class CategoryViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    authentication_classes = [SpecIdentityAuthentication]
    permission_classes = [WritesNeedCredentials]


router = SimpleRouter(trailing_slash=False)
router.register("baseline/categories", CategoryViewSet)
urlpatterns = [*router.urls, path("", include("catalog_site.urls"))]
"""

CREATE_SCRIPT = """
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
function init(args)
  prefix = args[1]
  sent = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-API-Key"] = "%(api_key)s"
end
function request()
  sent = sent + 1
  local body = string.format('{"name": "Bench %%d", "slug": "%%s-%%d-%%d"}', sent, prefix, id, sent)
  return wrk.format(nil, nil, nil, body)
end
"""


@dataclass(frozen=True)
class Result:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="sf_bench_settings",
        CATALOG_DATABASE_URL=f"sqlite:///{workdir / 'catalog.sqlite3'}",
        SPECFIRST_API_KEYS=API_KEY,
        PYTHONPATH=os.pathsep.join([str(workdir), str(CATALOG_DIR), str(REPO_ROOT)]),
        LOG_LEVEL="ERROR",
    )
    return env


@contextmanager
def catalog_server(workdir: Path, workers: int, threads: int) -> Iterator[str]:
    """The catalog with the baseline ViewSet mounted too, migrated and ready."""
    (workdir / "sf_bench_settings.py").write_text(textwrap.dedent(BASELINE_SETTINGS))
    (workdir / "sf_bench_urls.py").write_text(textwrap.dedent(BASELINE_URLS))
    env = _environment(workdir)
    manage = [sys.executable, str(CATALOG_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "catalog_site.wsgi:application",
        "--chdir", str(CATALOG_DIR), "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
        "--log-level", "error",
    ]  # fmt: skip
    log = (workdir / "gunicorn.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the catalog did not start; see {workdir / 'gunicorn.log'}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(label: str, output: str) -> Result:
    """wrk ``--latency`` output -> a :class:`Result` (requests/s, p50/p99 in ms, errors)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rps is None:
        raise SystemExit(f"unexpected wrk output for {label}:\n{output}")
    latency = {pct: float(value) * _UNITS[unit] for pct, value, unit in _LATENCY.findall(output)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(
        label, float(rps.group(1)), latency.get("50", 0.0), latency.get("99", 0.0), errors
    )


def wrk(label: str, url: str, args: argparse.Namespace, script: Path | None = None) -> Result:
    command = [
        "wrk",
        "--latency",
        "-t",
        "2",
        "-c",
        str(args.connections),
        "-d",
        f"{args.duration}s",
    ]
    if script is not None:
        command += ["-s", str(script), url, "--", uuid.uuid4().hex[:10]]
    else:
        command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(label, output)


def seed_category(url: str) -> str:
    response = httpx.post(
        f"{url}/categories",
        json={"name": "Kitchen", "slug": "kitchen"},
        headers={"X-API-Key": API_KEY},
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["id"])


def check_equivalence(url: str, category_id: str) -> None:
    """Both sides answer the same representation of the same row."""
    contract = httpx.get(f"{url}/categories/{category_id}", timeout=10).json()
    baseline = httpx.get(f"{url}/baseline/categories/{category_id}", timeout=10).json()
    if set(contract) != set(baseline) or contract["slug"] != baseline["slug"]:
        raise SystemExit(f"the two sides differ:\n{contract}\n{baseline}")


def run(args: argparse.Namespace) -> list[tuple[Result, Result]]:
    with tempfile.TemporaryDirectory(prefix="sf-bench-service-") as tmp:
        workdir = Path(tmp)
        script = workdir / "create.lua"
        script.write_text(CREATE_SCRIPT % {"api_key": API_KEY})
        with catalog_server(workdir, args.workers, args.threads) as url:
            category_id = seed_category(url)
            check_equivalence(url, category_id)
            read = (f"{url}/categories/{category_id}", f"{url}/baseline/categories/{category_id}")
            create = (f"{url}/categories", f"{url}/baseline/categories")
            warm = argparse.Namespace(**{**vars(args), "duration": 2})
            for target in (*read, *create):
                wrk("warm-up", target, warm, script if target in create else None)
            pairs: dict[str, list[tuple[Result, Result]]] = {"read": [], "create": []}
            for _ in range(args.rounds):
                for kind, (contract, baseline), lua in (
                    ("read", read, None),
                    ("create", create, script),
                ):
                    pairs[kind].append(
                        (
                            wrk(f"contract {kind}", contract, args, lua),
                            wrk(f"baseline {kind}", baseline, args, lua),
                        )
                    )
    return [_median_pair(pairs["read"]), _median_pair(pairs["create"])]


def _median_pair(pairs: list[tuple[Result, Result]]) -> tuple[Result, Result]:
    """The round whose contract/baseline ratio is the median one (robust to a noisy round)."""
    ordered = sorted(
        pairs, key=lambda pair: pair[0].requests_per_second / pair[1].requests_per_second
    )
    return ordered[len(ordered) // 2]


def report(pairs: list[tuple[Result, Result]]) -> bool:
    print(f"{'endpoint':<18}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    ok = True
    for contract, baseline in pairs:
        for result in (contract, baseline):
            print(
                f"{result.label:<18}{result.requests_per_second:>10.0f}{result.p50_ms:>10.2f}"
                f"{result.p99_ms:>10.2f}{result.errors:>8}"
            )
        ratio = contract.requests_per_second / baseline.requests_per_second
        verdict = "ok" if ratio >= TARGET_RATIO else "BELOW TARGET"
        kind = contract.label.split()[-1]
        print(
            f"ratio {kind} (contract / baseline): {ratio:.2f} (target >= {TARGET_RATIO}) {verdict}"
        )
        ok = ok and ratio >= TARGET_RATIO and contract.errors == 0 and baseline.errors == 0
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median ratio counts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    return 0 if report(run(args)) else 1


if __name__ == "__main__":
    sys.exit(main())
