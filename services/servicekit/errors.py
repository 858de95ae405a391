"""Domain errors: business-rule failures that know nothing about HTTP.

Domain code raises these; the HTTP layer turns each into the problem the
spec declares, through one table (:data:`PROBLEMS`)::

    raise Conflict("Only 3 of MUG-01 are in stock; 5 were requested.")
    # -> 409 application/problem+json with that detail
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from servicekit.problems import ProblemError


class DomainError(Exception):
    """Base of every business-rule failure; ``detail`` is shown to the caller."""

    def __init__(self, detail: str, **fields: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields


class NotFound(DomainError):
    """The addressed resource does not exist."""


class Conflict(DomainError):
    """The request conflicts with the resource's state (duplicate, in use, sold out)."""


class Unprocessable(DomainError):
    """The request refers to something that cannot be used (unknown or inactive)."""


class StaleVersion(DomainError):
    """The resource changed since the version the caller based its change on."""


class Forbidden(DomainError):
    """The caller is known but may not touch this resource."""


class DependencyUnavailable(DomainError):
    """A service this one depends on cannot be reached."""


class DependencyTimeout(DomainError):
    """A service this one depends on did not answer in time."""


PROBLEMS: Mapping[type[DomainError], tuple[int, str]] = {
    NotFound: (404, "not_found"),
    Conflict: (409, "conflict"),
    Unprocessable: (422, "unprocessable_content"),
    StaleVersion: (412, "precondition_failed"),
    Forbidden: (403, "forbidden"),
    DependencyUnavailable: (503, "dependency_unavailable"),
    DependencyTimeout: (504, "dependency_timeout"),
}
"""Each domain error's status and problem code (:mod:`codegen.core.problems.catalog`)."""


def to_problem(error: DomainError) -> ProblemError:
    """``to_problem(NotFound("No product 7."))`` -> a 404 ``not_found`` :class:`ProblemError`."""
    status, code = next(
        (answer for kind, answer in PROBLEMS.items() if isinstance(error, kind)),
        (422, "unprocessable_content"),
    )
    headers = {"Retry-After": "5"} if status == 503 else None
    return ProblemError(status, error.detail, code=code, headers=headers, **error.fields)
