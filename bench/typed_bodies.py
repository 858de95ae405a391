"""Benchmark: what a typed request body costs per request, against today's ``dict``.

The contract runtime validates a body into a ``dict`` of converted values; a
typed body is one more step on that validated value. This measures that step
for the catalog's ``Product`` create body (12 members, one nested object, two
arrays) in the candidate representations, in one run:

* ``dict``: what handlers received before typed bodies (``dict(body)``, the copy the
  runtime made);
* ``generated dataclass``: what they receive now, the catalog's generated
  ``bodies.Product`` (``@dataclass(frozen=True, slots=True, kw_only=True)``, nested
  members as dataclasses, arrays as tuples) built by ``servicekit.contract.records``;
* ``pydantic``: a ``BaseModel`` (frozen) built with ``model_construct`` (no second
  validation) and with ``model_validate`` (validating again).

It prints CPU microseconds per body (``time.process_time``: on a shared,
loaded machine wall time measures the queue, not the code; median of
``--runs`` runs, each the best of ``--repeat`` timings) with the spread, and
each ratio against ``dict``. The
figure that decides is the added microseconds against a whole request (about
1-2 ms through the contract layer, see ``bench/service.py``).

Usage::

    .venv/bin/python bench/typed_bodies.py [--runs 3] [--repeat 5] [--number 20000]
"""

from __future__ import annotations

import argparse
import decimal
import statistics
import sys
import time
import timeit
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pydantic

REPO_ROOT = Path(__file__).resolve().parent.parent
# The repository before bench/ (whose codegen.py would shadow the package), then the
# catalog project as manage.py runs it.
sys.path[:0] = [
    str(REPO_ROOT),
    str(REPO_ROOT / "services"),
    str(REPO_ROOT / "services" / "catalog"),
]

from catalog.api._generated import bodies  # noqa: E402  (needs the paths above)

BODY: Mapping[str, Any] = {
    "sku": "KB-001",
    "name": "Keyboard",
    "description": "A keyboard.",
    "category_id": uuid.UUID(int=7),
    "price": decimal.Decimal("49.90"),
    "currency": "EUR",
    "stock": 12,
    "status": "active",
    "tags": ["usb", "mechanical"],
    "attributes": [{"name": "layout", "value": "ISO"}],
    "dimensions": {"weight_grams": 900, "width_mm": 440},
}


class AttributeModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True)
    name: str
    value: str


class DimensionsModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True)
    weight_grams: int
    width_mm: int | None = None
    height_mm: int | None = None
    depth_mm: int | None = None


class ProductModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True)
    sku: str
    name: str
    category_id: uuid.UUID
    price: decimal.Decimal
    currency: str
    description: str | None = None
    stock: int | None = None
    status: str | None = None
    tags: tuple[str, ...] | None = None
    attributes: tuple[AttributeModel, ...] | None = None
    dimensions: DimensionsModel | None = None


def as_pydantic_constructed(body: Mapping[str, Any]) -> ProductModel:
    values = dict(body)
    values["attributes"] = tuple(AttributeModel.model_construct(**a) for a in body["attributes"])
    values["dimensions"] = DimensionsModel.model_construct(**body["dimensions"])
    return ProductModel.model_construct(**values)


CANDIDATES: Mapping[str, Callable[[Mapping[str, Any]], object]] = {
    "dict": dict,
    "generated dataclass": bodies.Product.build,
    "pydantic model_construct": as_pydantic_constructed,
    "pydantic model_validate": ProductModel.model_validate,
}


def measure(make: Callable[[Mapping[str, Any]], object], repeat: int, number: int) -> float:
    """Microseconds per body: the best of ``repeat`` timings of ``number`` calls."""
    timer = timeit.Timer(lambda: make(BODY), timer=time.process_time)
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="independent runs (default 3)")
    parser.add_argument("--repeat", type=int, default=5, help="timings per run (best kept)")
    parser.add_argument("--number", type=int, default=20000, help="bodies per timing")
    args = parser.parse_args(argv)
    results: dict[str, list[float]] = {name: [] for name in CANDIDATES}
    for _ in range(args.runs):
        for name, make in CANDIDATES.items():
            results[name].append(measure(make, args.repeat, args.number))
    base = statistics.median(results["dict"])
    print(f"{'representation':<26} {'us/body':>8} {'spread':>14} {'x dict':>7} {'+us':>6}")
    for name, figures in results.items():
        median = statistics.median(figures)
        spread = f"{min(figures):.2f}-{max(figures):.2f}"
        print(f"{name:<26} {median:>8.2f} {spread:>14} {median / base:>7.1f} {median - base:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
