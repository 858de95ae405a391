"""Security: requirements (who may call an operation) and schemes.

``security: [{oauth: [read]}, {}]`` means "oauth with scope read, OR
anonymous"; a requirement lists schemes that must all pass.
"""

from __future__ import annotations

from typing import Any

from codegen.core.diagnostics import Diagnostic
from codegen.core.ir.model import SecurityRequirement, SecurityScheme
from codegen.core.spec import pointer as jp
from codegen.core.spec.loader import LoadedSpec, RefSite
from codegen.core.spec.refs import RefError


def security_requirements(raw: Any) -> tuple[SecurityRequirement, ...] | None:
    """``security`` as requirements; ``None`` when absent (inherit).

    >>> security_requirements([{"api_key": []}, {}])
    (SecurityRequirement(schemes=(('api_key', ()),)), SecurityRequirement(schemes=()))
    """
    if not isinstance(raw, list):
        return None
    requirements = []
    for entry in raw:
        if isinstance(entry, dict):
            schemes = tuple(
                (str(name), tuple(str(s) for s in scopes) if isinstance(scopes, list) else ())
                for name, scopes in entry.items()
            )
            requirements.append(SecurityRequirement(schemes))
    return tuple(requirements)


def security_schemes(
    loaded: LoadedSpec, diagnostics: list[Diagnostic]
) -> dict[str, SecurityScheme]:
    components = loaded.root.data.get("components") or {}
    raw_schemes = components.get("securitySchemes")
    if not isinstance(raw_schemes, dict):
        return {}
    schemes: dict[str, SecurityScheme] = {}
    for name, raw in raw_schemes.items():
        pointer = jp.child("/components/securitySchemes", name)
        value = raw
        if isinstance(raw, dict) and "$ref" in raw:
            try:
                _, _, value = loaded.resolve(raw["$ref"], loaded.root)
            except RefError as error:
                site = RefSite(loaded.root, pointer, str(raw["$ref"]))
                diagnostics.append(loaded.ref_diagnostic(site, error))
                continue
        if not isinstance(value, dict):
            continue
        schemes[name] = _security_scheme(name, value)
    return schemes


def _security_scheme(name: str, value: dict[str, Any]) -> SecurityScheme:
    """One ``components/securitySchemes`` entry.

    >>> _security_scheme("jwt", {"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"}).scheme
    'bearer'
    """
    scopes: set[str] = set()
    flows = value.get("flows")
    if isinstance(flows, dict):
        for flow in flows.values():
            if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
                scopes.update(str(scope) for scope in flow["scopes"])
    scheme = value.get("scheme")
    return SecurityScheme(
        name=name,
        type=str(value.get("type", "")),
        scheme=scheme.lower() if isinstance(scheme, str) else None,
        bearer_format=_str_or_none(value.get("bearerFormat")),
        location=_str_or_none(value.get("in")),
        parameter_name=_str_or_none(value.get("name")),
        scopes=tuple(sorted(scopes)),
        description=_str_or_none(value.get("description")),
    )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None
