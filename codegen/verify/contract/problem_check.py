"""The schemathesis check ``problem_profile``: every error answer is a problem of the profile.

Registered on import (the engine imports it and enables it by name with the other
checks). A response with a 4xx or 5xx status passes when it is
``application/problem+json``, its body matches the ``Problem`` component
(:data:`codegen.core.problems.schema.PROBLEM_SCHEMA`), its ``status`` member is the
response's status, and its ``code`` is catalogued with ``type`` pointing at it.
So the services and the gateway are held to the one shape, whatever their spec says,
with one exception: the OAuth 2.0 error JSON where an operation declares it.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis

from codegen.core.problems.catalog import CATALOG
from codegen.core.problems.schema import problem_violation

PROBLEM_MEDIA = "application/problem+json"


def profile_violation(
    status: int, content_type: str, content: bytes, *, has_body: bool = True
) -> str | None:
    """Why an error response is not a problem of the profile, or ``None``
    (``has_body=False`` for the answer to a HEAD request: its type is all there is).

    ``profile_violation(404, "text/html", b"<h1>")`` ->
    ``"a 404 answer is text/html, not application/problem+json"``.
    """
    media = content_type.split(";", 1)[0].strip().lower()
    if media != PROBLEM_MEDIA:
        return f"a {status} answer is {media or 'untyped'}, not {PROBLEM_MEDIA}"
    if not has_body:
        return None
    try:
        document = json.loads(content)
    except ValueError as exc:
        return f"the problem document is not JSON: {exc}"
    return document_violation(status, document)


def document_violation(status: int, document: Any) -> str | None:
    """Why a parsed problem document of a ``status`` answer breaks the profile, or ``None``."""
    reason = problem_violation(document)
    if reason is not None:
        return f"the problem document does not match the profile: {reason}"
    if document["status"] != status:
        return f"the problem says status {document['status']} on a {status} answer"
    kind = CATALOG.get(document["code"])
    if kind is None:
        return f"the problem code {document['code']!r} is not catalogued"
    if document["type"] != kind.type:
        return f"the problem type {document['type']!r} is not {kind.type!r}"
    return None


OAUTH_MEDIA = "application/json"


def is_oauth_error(content_type: str, content: bytes, declared: Any) -> bool:
    """Whether an error answer is an OAuth 2.0 error (RFC 6749 §5.2) where the operation
    declares one: ``application/json`` declared for the status, and a JSON object whose
    ``error`` is a string. The one exception to the profile: OAuth clients parse exactly
    that shape on a token endpoint (docs/services.md, the login).

    ``is_oauth_error("application/json", b'{"error": "invalid_grant"}',
    {"content": {"application/json": {}}})`` -> True.
    """
    media = content_type.split(";", 1)[0].strip().lower()
    content_map = declared.get("content") if isinstance(declared, dict) else None
    if media != OAUTH_MEDIA or not isinstance(content_map, dict) or media not in content_map:
        return False
    try:
        document = json.loads(content)
    except ValueError:
        return False
    return isinstance(document, dict) and isinstance(document.get("error"), str)


def _declared(case: Any, status: int) -> Any:
    """The response the operation declares for ``status`` (``$ref``s resolved), or None."""
    responses = case.operation.definition.raw.get("responses", {})
    declared = responses.get(str(status))
    while isinstance(declared, dict) and isinstance(declared.get("$ref"), str):
        node: Any = case.operation.schema.raw_schema
        for part in declared["$ref"].removeprefix("#/").split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        declared = node
    return declared


@schemathesis.check
def problem_profile(ctx: Any, response: Any, case: Any) -> bool | None:
    """Fails when a 4xx/5xx answer is not a problem of specfirst's profile (or a
    declared OAuth error: :func:`is_oauth_error`)."""
    if response.status_code < 400:
        return None
    content_type = next(
        (values[0] for name, values in response.headers.items() if name.lower() == "content-type"),
        "",
    )
    if is_oauth_error(content_type, response.content, _declared(case, response.status_code)):
        return True
    reason = profile_violation(
        response.status_code,
        content_type,
        response.content,
        has_body=case.method.upper() != "HEAD",
    )
    if reason is not None:
        raise AssertionError(reason)
    return True
