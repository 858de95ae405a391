"""drf-spectacular extension: publish the spec's security in the derived schema.

:class:`~servicekit.auth.SpecIdentityAuthentication` implements every
security scheme of the served specs, so the derived schema
(``/schema/derived.json``) declares those schemes, and each operation's
requirements are exactly those its spec declares (nothing for public reads).
Loaded by :class:`servicekit.apps.ServicekitConfig.ready`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from servicekit.spec import operation_security, security_schemes


class SpecIdentityAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "servicekit.auth.SpecIdentityAuthentication"

    def __init__(self, target: Any) -> None:
        super().__init__(target)  # type: ignore[no-untyped-call]
        self.name = sorted(security_schemes())

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        schemes = security_schemes()
        return [dict(schemes[name]) for name in self.name]

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[str]]]:
        operation_id = auto_schema.get_operation_id()
        try:
            requirements = operation_security(operation_id)
        except KeyError:
            return []
        return [
            {name: list(scopes) for name, scopes in requirement} for requirement in requirements
        ]
