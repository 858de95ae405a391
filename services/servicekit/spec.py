"""The service's own source spec, loaded once and indexed by operationId.

Spec paths come from ``settings.SPECFIRST_SPECS`` (service name -> path). It is read as YAML
(JSON is valid YAML) into plain dicts and lists, and kept for the life of the
process: the spec served at ``/openapi.json`` and the security rules the
service enforces are the same document.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from ruamel.yaml import YAML

from codegen.core.openapi import HTTP_METHODS

SecurityRequirements = tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]
"""Alternatives (OR) of requirements; each requirement is (scheme, scopes) pairs (AND)."""


@dataclass(frozen=True, slots=True)
class SpecDocument:
    """One loaded spec: its data, its bytes as JSON, and what the service enforces."""

    path: Path
    data: Mapping[str, Any]
    json_bytes: bytes
    security_schemes: Mapping[str, Mapping[str, Any]]
    operation_security: Mapping[str, SecurityRequirements]


def _requirements(raw: Sequence[Mapping[str, Sequence[str]]]) -> SecurityRequirements:
    """``[{"bearerAuth": []}, {}]`` -> ``((("bearerAuth", ()),), ())``."""
    return tuple(
        tuple((name, tuple(scopes)) for name, scopes in sorted(req.items())) for req in raw
    )


def index_operation_security(data: Mapping[str, Any]) -> dict[str, SecurityRequirements]:
    """operationId -> effective security (the operation's, else the document's).

    ``{"security": [{"k": []}], "paths": {"/a": {"get": {"operationId": "x"}}}}``
    -> ``{"x": ((("k", ()),),)}``
    """
    default = _requirements(data.get("security", []))
    index: dict[str, SecurityRequirements] = {}
    for path_item in (data.get("paths") or {}).values():
        for method in HTTP_METHODS:
            operation = path_item.get(method)
            if isinstance(operation, Mapping) and "operationId" in operation:
                raw = operation.get("security")
                index[operation["operationId"]] = default if raw is None else _requirements(raw)
    return index


def load_document(path: Path) -> SpecDocument:
    """Read and index the spec at ``path``."""
    yaml = YAML(typ="safe", pure=True)
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the spec must be a mapping at the top level")
    components = data.get("components") or {}
    return SpecDocument(
        path=path,
        data=data,
        json_bytes=json.dumps(data, ensure_ascii=False, default=str).encode(),
        security_schemes=dict(components.get("securitySchemes") or {}),
        operation_security=index_operation_security(data),
    )


@functools.cache
def _cached(path: str) -> SpecDocument:
    return load_document(Path(path))


def spec_documents() -> dict[str, SpecDocument]:
    """Every spec this process serves, by service name (``settings.SPECFIRST_SPECS``).

    A deployed service has exactly one; a test process that installs several
    services' apps has one per service (their operationIds never collide).
    """
    return {name: _cached(str(path)) for name, path in sorted(settings.SPECFIRST_SPECS.items())}


def service_spec() -> SpecDocument:
    """The spec of the running service (``settings.SPECFIRST_SERVICE_NAME``)."""
    return _cached(str(settings.SPECFIRST_SPECS[settings.SPECFIRST_SERVICE_NAME]))


@functools.cache
def _schemes_of(paths: tuple[str, ...]) -> dict[str, Mapping[str, Any]]:
    schemes: dict[str, Mapping[str, Any]] = {}
    for path in paths:
        schemes.update(_cached(path).security_schemes)
    return schemes


def _served_paths() -> tuple[str, ...]:
    return tuple(str(path) for _, path in sorted(settings.SPECFIRST_SPECS.items()))


def security_schemes() -> dict[str, Mapping[str, Any]]:
    """Every security scheme of every served spec, by name (computed once per spec set)."""
    return _schemes_of(_served_paths())


def operation_security(operation_id: str) -> SecurityRequirements:
    """The effective security requirements of ``operation_id`` in the served specs."""
    for path in _served_paths():
        document = _cached(path)
        if operation_id in document.operation_security:
            return document.operation_security[operation_id]
    raise KeyError(f"no served spec declares operationId {operation_id!r}")
