"""drf-spectacular integration: the service re-derives its schema from code.

* :class:`ContractSerializerExtension` publishes each generated serializer as
  the component schema it came from (``registry.schemas[name]``), with its
  ``$ref``s resolved through spectacular so components are registered.
* :func:`schema_kwargs` builds the ``extend_schema`` arguments (parameters,
  request, responses) that every generated dispatcher carries; declared
  response headers travel as ``OpenApiParameter(response=[status])``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, cast

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from servicekit.contract.fields import JsonField, Ref
from servicekit.contract.operations import Operation

_PREFIX = "#/components/schemas/"


def _unescape(token: str) -> str:
    return urllib.parse.unquote(token).replace("~1", "/").replace("~0", "~")


def rewrite_refs(node: Any, resolve: Callable[[str], Any]) -> Any:
    """Replace ``{"$ref": "#/components/schemas/X"}`` by ``resolve("X")``."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_PREFIX) and len(node) == 1:
            return resolve(_unescape(ref[len(_PREFIX) :]))
        return {key: rewrite_refs(value, resolve) for key, value in node.items()}
    if isinstance(node, list):
        return [rewrite_refs(item, resolve) for item in node]
    return node


class ContractSerializerExtension(OpenApiSerializerExtension):
    target_class = "servicekit.contract.serializers.ContractSerializer"
    match_subclasses = True

    def get_name(self, auto_schema: Any = None, direction: Any = None) -> str | None:
        return str(self.target.schema_name) or None

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        cls: Any = type(self.target) if not isinstance(self.target, type) else self.target
        registry = cls.registry

        def resolve(name: str) -> Any:
            if name not in registry:
                return {"$ref": _PREFIX + name}
            component = auto_schema.resolve_serializer(registry[name], direction)
            # Still registered (possibly mid-resolution, for recursive schemas):
            # refer to it; discarded as empty by spectacular: inline it.
            return component.ref if component in auto_schema.registry else component.schema or {}

        return rewrite_refs(registry.schemas.get(cls.schema_name, {}), resolve)


def _spectacular_type(field: Any, schema: Mapping[str, Any] | None) -> Any:
    """A serializer class where spectacular can register components, else a raw schema."""
    if isinstance(field, Ref):
        return field.target
    if isinstance(field, JsonField) and isinstance(field.items, Ref) and field.types == ("array",):
        return field.items.target(many=True)
    # An empty dict means "no body" to spectacular; {} in a spec means "any value".
    return dict(schema) if schema else OpenApiTypes.ANY


def _parameter_schema(field: Any, schema: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameters and headers get their schema inline: a named parameter schema
    (a deepObject, say) has no component of its own in the published spec."""
    if isinstance(field, Ref):
        return dict(field.registry.schemas.get(field.schema_name, schema or {}))
    return dict(schema or {})


def response_headers(operation: Operation) -> list[OpenApiParameter]:
    """Each declared response header, published on exactly the status declaring it.

    ``ResponseSpec("201", headers=(ResponseHeader("Location", schema={"type": "string"}),))``
    -> ``[OpenApiParameter("Location", location="header", response=["201"], ...)]``;
    spectacular folds it into ``responses["201"]["headers"]["Location"]``.
    """
    return [
        OpenApiParameter(
            name=header.name,
            type=_parameter_schema(header.field, header.schema) or OpenApiTypes.ANY,
            location=OpenApiParameter.HEADER,
            required=header.required,
            description=header.description or "",
            response=[response.status],
        )
        for response in operation.responses
        for header in response.headers
    ]


def schema_kwargs(operation: Operation) -> dict[str, Any]:
    """``extend_schema`` arguments of one operation (besides operation_id)."""
    parameters = [
        OpenApiParameter(
            name=param.name,
            type=_parameter_schema(param.field, param.schema),
            location=cast(Any, param.location),
            required=param.required or param.location == "path",
            style=param.style,
            explode=param.explode,
        )
        for param in operation.params
    ] + response_headers(operation)
    request: Any = None
    if operation.body is not None:
        request = {
            media.media_type: _spectacular_type(media.field, media.schema)
            for media in operation.body.content
        }
    responses: dict[Any, Any] = {}
    for response in operation.responses:
        if not response.content:
            responses[response.status] = OpenApiResponse(description=response.description)
        for media in response.content:
            responses[(response.status, media.media_type)] = OpenApiResponse(
                response=_spectacular_type(media.field, media.schema),
                description=response.description,
            )
    return {
        "summary": operation.summary,
        "tags": list(operation.tags) or None,
        "deprecated": operation.deprecated or None,
        "parameters": parameters,
        "request": request,
        "responses": responses,
    }
