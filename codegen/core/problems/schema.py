"""The problem profile as a JSON Schema component, and the file that publishes it.

:data:`PROBLEM_SCHEMA` is the ``Problem`` schema every spec's error responses
reference. ``specfirst generate`` writes :func:`problem_document` to
``specs/_specfirst/problem.yaml`` (:data:`PROBLEM_FILE`), so specs say::

    schema:
      $ref: '_specfirst/problem.yaml#/components/schemas/Problem'

and the contract suite checks every error response against the same schema
(:func:`problem_violation`).
"""

from __future__ import annotations

from typing import Any

from codegen.core.problems.catalog import TYPE_BASE
from codegen.core.validator import validation_error

PROBLEM_DIR = "_specfirst"
PROBLEM_FILE = f"{PROBLEM_DIR}/problem.yaml"
PROBLEM_REF = f"{PROBLEM_FILE}#/components/schemas/Problem"
"""The ``$ref`` a spec in the specs folder writes for the profile."""

POINTER_PATTERN = "^(/([^~/]|~[01])*)*$"
CODE_PATTERN = "^[a-z][a-z0-9_]*$"
REQUEST_ID_PATTERN = "^[A-Za-z0-9._~:+=/-]{1,128}$"

_ERROR_ENTRY: dict[str, Any] = {
    "type": "object",
    "description": (
        "One invalid part of the request: `pointer` alone points into the request body; "
        "with `parameter` (and `in`) or `header` it points into that value."
    ),
    "required": ["detail"],
    "properties": {
        "pointer": {
            "type": "string",
            "pattern": POINTER_PATTERN,
            "description": "An RFC 6901 JSON pointer, e.g. `/items/0/sku`.",
        },
        "parameter": {"type": "string", "description": "The name of a parameter."},
        "in": {
            "type": "string",
            "enum": ["path", "query", "cookie"],
            "description": "Where `parameter` is.",
        },
        "header": {"type": "string", "description": "The name of a request header."},
        "detail": {"type": "string", "description": "What is wrong with it."},
    },
    "additionalProperties": False,
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "An RFC 9457 problem details document, specfirst's profile: "
        f"`type` is `{TYPE_BASE}#<code>`, `code` is stable."
    ),
    "required": ["type", "title", "status", "detail", "instance", "code", "request_id"],
    "properties": {
        "type": {
            "type": "string",
            "format": "uri-reference",
            "description": "The problem type's documentation (`#<code>` on the catalogue page).",
        },
        "title": {"type": "string", "description": "A short summary of the problem type."},
        "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599,
            "description": "The HTTP status code.",
        },
        "detail": {
            "type": "string",
            "description": "An explanation of this occurrence of the problem.",
        },
        "instance": {
            "type": "string",
            "format": "uri-reference",
            "description": "The request path this occurrence concerns.",
        },
        "code": {
            "type": "string",
            "pattern": CODE_PATTERN,
            "description": "The problem type's stable code, for programs to branch on.",
        },
        "request_id": {
            "type": "string",
            "pattern": REQUEST_ID_PATTERN,
            "description": "The request's `X-Request-ID`, for finding its log lines.",
        },
        "errors": {
            "type": "array",
            "description": "Every invalid part of the request (validation failures only).",
            "items": _ERROR_ENTRY,
        },
    },
}


def problem_document() -> dict[str, Any]:
    """The OpenAPI document holding the component (``specs/_specfirst/problem.yaml``)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "specfirst problem profile",
            "version": "1.0.0",
            "description": (
                "The RFC 9457 problem document the gateway and every service answer errors "
                "with (docs/problems.md)."
            ),
        },
        "paths": {},
        "components": {"schemas": {"Problem": PROBLEM_SCHEMA}},
    }


def problem_violation(document: Any) -> str | None:
    """Why ``document`` is not a problem of the profile, or ``None`` when it is."""
    return validation_error(PROBLEM_SCHEMA, document)
