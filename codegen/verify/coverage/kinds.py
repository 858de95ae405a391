"""The kinds of coverage items, in the order the summary table shows them."""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    OPERATIONS = "operations"
    STATUSES = "statuses"
    PARAMETERS = "parameters"
    PROPERTIES = "properties"
    BRANCHES = "branches"
    LINKS = "links"

    @property
    def label(self) -> str:
        return "status codes" if self is Kind.STATUSES else self.value
