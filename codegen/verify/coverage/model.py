"""Coverage items: the things of a spec a contract run can exercise.

Every item has a stable id, the name ``[tool.specfirst.test.uncoverable]`` uses::

    GET /orders                                   operations: a 2xx answer came back
    GET /orders status 404                        statuses: a 404 came back
    GET /orders query parameter status present    parameters: sent with it ...
    GET /orders query parameter status absent     ... and without it
    GET /orders query parameter status = shipped  parameters: each enum value sent
    POST /orders request property /lines/*/sku    properties: a body key sent
    POST /orders request /currency = "EUR"        properties: each body enum value sent
    GET /orders/{id} response 200 property /total properties: a response key seen
    POST /orders request /payment oneOf[2] (VoucherPayment)   branches: request and response
    POST /orders link 201 GetPlacedOrder          links: followed in the stateful phase

and a location (file, line, JSON pointer) in the spec. Path parameters are always
sent, so they have enum items only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from codegen.core.diagnostics import SourceLocation
from codegen.verify.coverage.kinds import Kind
from codegen.verify.coverage.shapes import Shape


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    kind: Kind
    operation: str  # "POST /orders"
    location: SourceLocation | None


@dataclass(frozen=True, slots=True)
class ParameterPlan:
    """One query, header or cookie parameter (``enum`` also for path parameters)."""

    location: str  # "query" | "header" | "cookie" | "path"
    name: str
    present: str | None
    absent: str | None
    enum: Mapping[str, str]  # enum_key(value) -> item id


@dataclass(slots=True)
class OperationPlan:
    """What one operation's requests and responses can hit."""

    label: str  # "POST /orders", as schemathesis labels it
    operation_id: str
    item: str
    success: frozenset[str]  # the declared statuses that count the operation as covered
    statuses: dict[str, str] = field(default_factory=dict)  # "200" | "2XX" | "default" -> id
    parameters: list[ParameterPlan] = field(default_factory=list)
    request: dict[str, Shape] = field(default_factory=dict)  # media type -> shape
    responses: dict[str, dict[str, Shape]] = field(default_factory=dict)  # status -> media
    links: dict[tuple[str, str], str] = field(default_factory=dict)  # (status, name) -> id


@dataclass(slots=True)
class CoverageModel:
    """Every item of one target (a service, or the gateway: the union of them)."""

    name: str
    items: dict[str, Item] = field(default_factory=dict)
    operations: dict[str, OperationPlan] = field(default_factory=dict)

    def add(self, operation: str, kind: Kind, what: str, location: SourceLocation | None) -> str:
        item_id = f"{operation} {what}" if what else operation
        self.items.setdefault(item_id, Item(item_id, kind, operation, location))
        return item_id

    @classmethod
    def union(cls, name: str, models: Iterable[CoverageModel]) -> CoverageModel:
        merged = cls(name)
        for model in models:
            merged.items.update(model.items)
            merged.operations.update(model.operations)
        return merged

    def only(self, operation_ids: Iterable[str]) -> CoverageModel:
        """This model restricted to the operations ``operation_ids``."""
        wanted = set(operation_ids)
        keep = {label for label, plan in self.operations.items() if plan.operation_id in wanted}
        return CoverageModel(
            self.name,
            {k: v for k, v in self.items.items() if v.operation in keep},
            {k: v for k, v in self.operations.items() if k in keep},
        )
