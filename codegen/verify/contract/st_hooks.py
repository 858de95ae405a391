"""schemathesis hooks that correct known false positives (loaded through the ``hooks`` key
of ``[tool.specfirst.test.schemathesis]``).

``filter_case`` drops *positive* cases whose JSON body breaks a ``format`` its
schema declares: schemathesis' coverage phase ignores ``format`` on some
schemas (e.g. ``type: [string, "null"], format: uuid`` gets ``""``; upstream
issue schemathesis#4592), and a service that rightly rejects such a body would
fail ``positive_data_acceptance``. Only format errors drop a case; every
other positive case, and every negative case, is sent as generated.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import schemathesis
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode


def _follow(spec: Mapping[str, Any], node: Any) -> Any:
    for _ in range(32):
        if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
            return node
        target: Any = spec
        for raw in [t for t in node["$ref"].lstrip("#").split("/") if t]:
            token = raw.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, Mapping) else None
        node = target
    return node


BODY_KEY = "x-specfirst-body"


@functools.lru_cache(maxsize=256)
def _validator(spec_json: str, schema_json: str) -> Draft202012Validator:
    """A validator whose root is the spec itself, so the body schema's local
    ``#/components/...`` references resolve; the root's ``$ref`` points at the body schema."""
    root = {**json.loads(spec_json), BODY_KEY: json.loads(schema_json), "$ref": f"#/{BODY_KEY}"}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def body_breaks_a_format(
    spec: Mapping[str, Any], operation: Mapping[str, Any], media_type: str, body: Any
) -> bool:
    """Whether ``body`` violates a ``format`` of the operation's ``media_type`` schema.

    ``{"parent_id": ""}`` against ``{"properties": {"parent_id": {"format": "uuid"}}}`` -> True.
    """
    request_body = _follow(spec, operation.get("requestBody"))
    media = (
        ((request_body or {}).get("content") or {}).get(media_type)
        if isinstance(request_body, Mapping)
        else None
    )
    if not isinstance(media, Mapping) or "schema" not in media:
        return False
    validator = _validator(
        json.dumps(spec, sort_keys=True), json.dumps(media["schema"], sort_keys=True)
    )
    return any(error.validator == "format" for error in validator.iter_errors(body))


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: schemathesis.Case[Any]) -> bool:
    meta = case.meta
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE or not case.media_type:
        return True
    if not isinstance(case.body, dict | list):
        return True
    spec = case.operation.schema.raw_schema
    return not body_breaks_a_format(spec, case.operation.definition.raw, case.media_type, case.body)
