"""servicekit.contract: the runtime that generated ``_generated/`` packages import.

Hand-written code normally needs only :class:`Reply` (what a handler
returns), :class:`~servicekit.problems.ProblemError` (to answer an error) and
:func:`build_urlpatterns` (in ``api/urls.py``). Generated code imports the
submodules directly.
"""

from __future__ import annotations

from servicekit.contract.errors import ContractError
from servicekit.contract.operations import Reply

__all__ = ["ContractError", "Reply"]
