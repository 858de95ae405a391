"""servicekit's drf-spectacular integration, for ``/schema/derived.json``.

* :class:`SpecIdentityAuthenticationScheme`: :class:`~servicekit.auth.SpecIdentityAuthentication`
  implements every security scheme of the served specs, so the derived schema
  declares those schemes, and each operation's requirements are exactly those
  its spec declares (nothing for public reads). Registered on import, by
  :class:`servicekit.apps.ServicekitConfig.ready`.
* :class:`SpecAutoSchema` (``DEFAULT_SCHEMA_CLASS``): descriptions come from
  ``extend_schema`` only, never from Python docstrings, so implementation
  notes do not leak into the published contract.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

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


class SpecAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema without the docstring fallback for descriptions.

    ``extend_schema(description=...)`` still wins (it wraps this class).
    """

    def get_description(self) -> str:  # type: ignore[override]
        return ""
