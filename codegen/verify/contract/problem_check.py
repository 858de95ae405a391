"""The schemathesis check ``problem_profile``: every error answer is a problem of the profile.

Registered on import (the engine imports it and enables it by name with the other
checks). A response with a 4xx or 5xx status passes when it is
``application/problem+json``, its body matches the ``Problem`` component
(:data:`codegen.core.problems.schema.PROBLEM_SCHEMA`), its ``status`` member is the
response's status, and its ``code`` is catalogued with ``type`` pointing at it.
So the services and the gateway are held to the one shape, whatever their spec says.
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


@schemathesis.check
def problem_profile(ctx: Any, response: Any, case: Any) -> bool | None:
    """Fails when a 4xx/5xx answer is not a problem of specfirst's profile."""
    if response.status_code < 400:
        return None
    content_type = next(
        (values[0] for name, values in response.headers.items() if name.lower() == "content-type"),
        "",
    )
    reason = profile_violation(
        response.status_code,
        content_type,
        response.content,
        has_body=case.method.upper() != "HEAD",
    )
    if reason is not None:
        raise AssertionError(reason)
    return True
