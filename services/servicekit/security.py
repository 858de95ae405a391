"""Enforce an operation's OpenAPI ``security`` requirements on a request.

Requirements are alternatives (any one passing is enough); each requirement
lists schemes that must all have passed, with the scopes each one needs. An
empty requirement (``{}``, or ``security: []`` on the operation) allows
anonymous callers. No credentials for any required scheme answer 401; the
right scheme without a required scope answers 403.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from servicekit.auth import Identity
from servicekit.spec import SecurityRequirements, operation_security


def satisfies(identity: Identity | None, requirements: SecurityRequirements) -> bool:
    """Whether ``identity`` passes one of ``requirements``.

    ``satisfies(None, ((),))`` is True (anonymous allowed);
    ``satisfies(bearer_identity, ((("bearerAuth", ("admin",)),),))`` needs the
    identity to have passed ``bearerAuth`` and to hold the ``admin`` scope.
    """
    if not requirements:
        return True
    for requirement in requirements:
        if not requirement:
            return True
        if identity is not None and all(
            name in identity.schemes and set(scopes) <= identity.scopes
            for name, scopes in requirement
        ):
            return True
    return False


def identity_of(request: Request) -> Identity | None:
    user = request.user
    return user if isinstance(user, Identity) else None


def enforce(request: Request, requirements: SecurityRequirements) -> Identity | None:
    """Raise 401 (no usable credentials) or 403 (wrong scheme or scopes); return the identity.

    A public operation (no requirement, or only ``{}``) never reads the
    credentials, so a stale token sent to a public read cannot make it fail.
    """
    if all(not requirement for requirement in requirements):
        return None
    identity = identity_of(request)
    if satisfies(identity, requirements):
        return identity
    if identity is not None and any(
        all(name in identity.schemes for name, _ in requirement) for requirement in requirements
    ):
        raise exceptions.PermissionDenied("These credentials lack a scope this operation needs.")
    names = sorted({name for requirement in requirements for name, _ in requirement})
    raise exceptions.NotAuthenticated(f"This operation needs credentials for {' or '.join(names)}.")


def enforce_operation(request: Request, operation_id: str) -> Identity | None:
    """:func:`enforce` with the requirements the service's spec declares for ``operation_id``."""
    return enforce(request, operation_security(operation_id))


class OperationSecurity(BasePermission):
    """DRF permission: the requirements the spec declares for the operation being run.

    Contract ViewSets route each operation through an action named
    ``op_<python_name>`` and carry ``operations[python_name].security``; any
    other view (probes, schema views) is not governed by a spec operation.
    Running as a permission means 401/403 come before request validation.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        operations = getattr(view, "operations", None)
        action = getattr(view, "action", None) or ""
        operation = (operations or {}).get(action.removeprefix("op_"))
        if operation is not None:
            enforce(request, tuple(tuple(requirement) for requirement in operation.security))
        return True
