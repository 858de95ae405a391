"""Find a spec's OAuth 2.0 token endpoint: the one rule behind the SDK's
``login()``, ``specfirst up``'s login hints and ``specfirst test``'s tokens.

The endpoint is recognised by its shape (RFC 6749 §3.2), never by its path or
the service's name: a POST whose request body is a form
(``application/x-www-form-urlencoded``) with a ``grant_type`` property and
whose success response is JSON with an ``access_token`` property. Its keys'
endpoint likewise: a GET whose success response is JSON with a ``keys``
property (an RFC 7517 key set), which services and the gateway read.

Example: customers' ``POST /oauth/token`` (form ``TokenRequest`` with
``grant_type``, 200 ``TokenResponse`` with ``access_token``) ->
``LoginView(path="/oauth/token", media_type="application/x-www-form-urlencoded")``.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.core.ir.model import (
    Api,
    MediaType,
    Operation,
    ParameterLocation,
    Schema,
    SchemaNode,
)

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
GRANT_FIELD = "grant_type"
TOKEN_FIELD = "access_token"
KEYS_FIELD = "keys"


@dataclass(frozen=True, slots=True)
class LoginView:
    path: str  # the token endpoint's path template, relative to the base URL
    media_type: str  # its request media type, as the spec spells it


def token_endpoints(api: Api) -> list[LoginView]:
    """Every token endpoint of ``api``, in path order."""
    found = []
    for operation in api.operations:
        if operation.method != "post" or operation.request_body is None:
            continue
        form = next((m for m in operation.request_body.content if _is_form(m)), None)
        if (
            form is not None
            and _has_property(api, form.schema, GRANT_FIELD)
            and _returns(api, operation, TOKEN_FIELD)
        ):
            found.append(LoginView(operation.path, form.media_type))
    return found


def token_endpoint(api: Api) -> LoginView | None:
    """The login of ``api``: its first token endpoint, or ``None``."""
    return next(iter(token_endpoints(api)), None)


def jwks_path(api: Api) -> str | None:
    """The path of ``api``'s key set (see the module doc) when it has a token endpoint."""
    if token_endpoint(api) is None:
        return None
    for operation in api.operations:
        fixed = not any(p.location is ParameterLocation.PATH for p in operation.parameters)
        if operation.method == "get" and fixed and _returns(api, operation, KEYS_FIELD):
            return operation.path
    return None


def _is_form(media: MediaType) -> bool:
    return media.media_type.split(";")[0].strip().lower() == FORM_MEDIA_TYPE


def _returns(api: Api, operation: Operation, field: str) -> bool:
    return any(
        _has_property(api, media.schema, field)
        for response in operation.responses
        if response.is_success
        for media in response.content
        if "json" in media.media_type
    )


def _has_property(api: Api, node: SchemaNode | None, name: str, depth: int = 0) -> bool:
    """Whether ``node`` (or a schema it combines with ``allOf``) declares ``name``."""
    if node is None or depth > 8:  # a cycle of allOf references ends here
        return False
    schema: Schema = api.resolve(node)
    if any(p.name == name for p in schema.properties):
        return True
    return any(_has_property(api, part, name, depth + 1) for part in schema.all_of)
