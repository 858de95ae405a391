"""servicekit's drf-spectacular integration, for ``/schema/derived.json``.

* :class:`SpecIdentityAuthenticationScheme`: :class:`~servicekit.auth.SpecIdentityAuthentication`
  implements every security scheme of the served specs, so the derived schema
  declares those schemes, and each operation's requirements are exactly those
  its spec declares (nothing for public reads). Registered on import, by
  :class:`servicekit.apps.ServicekitConfig.ready`.
* :class:`SpecAutoSchema` (``DEFAULT_SCHEMA_CLASS``): descriptions come from
  ``extend_schema`` only, never from Python docstrings, so implementation
  notes do not leak into the published contract; ``requestBody.required`` is
  the spec's, not spectacular's guess (which calls every PATCH body optional).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from servicekit.spec import operation_security, security_schemes


class SpecIdentityAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "servicekit.auth.SpecIdentityAuthentication"

    def __init__(self, target: Any) -> None:
        super().__init__(target)
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

    def get_description(self, *args: Any) -> str:
        # ``*args``: DRF's ViewInspector takes (path, method), spectacular's none.
        return ""

    def _get_request_body(self, direction: str = "request") -> Any:
        """The derived request body, ``required`` exactly when the spec says so.

        spectacular infers it from the serializer's required properties (and
        makes PATCH serializers partial); a contract operation declares it.
        """
        body = super()._get_request_body(direction)
        declared = self._declared_body()
        if body is None or declared is None:
            return body
        body = {key: value for key, value in body.items() if key != "required"}
        return {**body, "required": True} if declared.required else body

    def _declared_body(self) -> Any:
        """The contract :class:`~servicekit.contract.bodies.Body` of this operation, if any."""
        operations = getattr(self.view, "operations", None) or {}
        operation_id = self.get_operation_id()
        for operation in operations.values():
            if operation.operation_id == operation_id:
                return operation.body
        return None
