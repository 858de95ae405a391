"""What a contract run found: per target, per operation, per failed check.

Plain dataclasses, filled by :mod:`.engine` and read by :mod:`.report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """One distinct failure: the same (operation, check, title) is reported once."""

    operation: str
    check: str
    title: str
    message: str
    curl: str
    status: int | None = None  # the response status, when there was a response
    body: str = ""  # the start of the response body


@dataclass(slots=True)
class OperationResult:
    operation: str  # "POST /orders"
    operation_id: str | None = None
    cases: int = 0
    checks_passed: int = 0
    checks_failed: int = 0

    @property
    def name(self) -> str:
        return f"{self.operation} ({self.operation_id})" if self.operation_id else self.operation


@dataclass(slots=True)
class TargetResult:
    """One service (or the gateway) after its schemathesis run."""

    name: str
    base_url: str
    seed: int
    operations: dict[str, OperationResult] = field(default_factory=dict)
    failures: list[CheckFailure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seed_notes: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    stopped_early: str | None = None

    @property
    def cases(self) -> int:
        return sum(op.cases for op in self.operations.values())

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors

    def operation(self, label: str, operation_id: str | None = None) -> OperationResult:
        if label not in self.operations:
            self.operations[label] = OperationResult(label, operation_id)
        return self.operations[label]

    def failing_operations(self) -> set[str]:
        return {failure.operation for failure in self.failures}
