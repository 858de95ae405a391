"""The one problem profile (RFC 9457) that the gateway and every service answer with.

* :mod:`.catalog`: every problem ``code`` specfirst answers, with its status, title and
  the documentation anchor its ``type`` URI points to;
* :mod:`.document`: builds a problem document and its ``errors[]`` entries;
* :mod:`.schema`: the profile as a JSON Schema component (``Problem``), which
  ``specfirst generate`` writes to ``specs/_specfirst/problem.yaml`` for every spec to
  reference, and the contract suite checks error responses against.

Example::

    from codegen.core.problems import problem, body_error
    problem("invalid_request", "The request is invalid (1 error(s)).", instance="/items",
            request_id="abc", errors=[body_error(["items", 0, "sku"], "Required.")])
    # {"type": "/_specfirst/problems#invalid_request", "title": "Invalid request",
    #  "status": 400, "detail": ..., "instance": "/items", "code": "invalid_request",
    #  "request_id": "abc", "errors": [{"pointer": "/items/0/sku", "detail": "Required."}]}
"""

from __future__ import annotations

from codegen.core.problems.catalog import CATALOG, TYPE_BASE, ProblemType, code_for_status
from codegen.core.problems.document import (
    body_error,
    header_error,
    parameter_error,
    problem,
)

__all__ = [
    "CATALOG",
    "TYPE_BASE",
    "ProblemType",
    "body_error",
    "code_for_status",
    "header_error",
    "parameter_error",
    "problem",
]
