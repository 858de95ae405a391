"""bench/service.py: reading wrk's report (the load runs themselves are the benchmark)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:5000/categories/1
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.10ms   10.02ms 120.00ms   80.00%
  Latency Distribution
     50%   18.18ms
     75%   25.00ms
     90%   33.00ms
     99%  389.82us
  6400 requests in 10.00s, 2.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    640.25
Transfer/sec:    204.80KB
"""


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "service.py"
    spec = importlib.util.spec_from_file_location("bench_service", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_parse_wrk_reads_rate_latency_and_errors(bench: ModuleType) -> None:
    result = bench.parse_wrk("contract read", WRK_OUTPUT)
    assert result.requests_per_second == pytest.approx(640.25)
    assert result.p50_ms == pytest.approx(18.18)
    assert result.p99_ms == pytest.approx(0.38982)
    assert result.errors == 7


def test_parse_wrk_refuses_garbage(bench: ModuleType) -> None:
    with pytest.raises(SystemExit, match="unexpected wrk output"):
        bench.parse_wrk("x", "connection refused")


def test_median_pair_uses_the_median_ratio(bench: ModuleType) -> None:
    def pair(contract: float, baseline: float) -> tuple[object, object]:
        return (bench.Result("c", contract, 1, 2, 0), bench.Result("b", baseline, 1, 2, 0))

    pairs = [pair(100, 100), pair(300, 100), pair(90, 100)]
    assert bench._median_pair(pairs) == pairs[0]
