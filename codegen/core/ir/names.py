"""Every identifier derived from a spec is made here, and only here.

Spec names are arbitrary strings (``X-Request-ID``, ``2fa``, ``class``,
``名前``); generated code needs valid, readable, unique Python names that do
not shadow keywords or builtins. Names are deterministic: they depend only on
the spec text and on the order names are claimed, never on hashing.

Inline schemas are named after where they appear (``codegen.core.ir.build`` claims
them in document order, after every component schema):

==========================================  ===============================
where the schema is                         name
==========================================  ===============================
``components/schemas/order-line``           ``OrderLine``
request body of ``createOrder``             ``CreateOrderRequest``
(second media type, e.g. form data)         ``CreateOrderRequestFormData``
response 200 of ``getOrder``                ``GetOrder200Response``
response header ``X-Rate`` of that          ``GetOrder200XRateHeader``
parameter ``status`` of ``listOrders``      ``ListOrdersStatusParam``
property ``lines`` of ``Order``             ``OrderLines``
items of ``Order.lines``                    ``OrderLinesItem``
``prefixItems[0]`` of ``Pair``              ``PairItem1``
``additionalProperties`` of ``Tags``        ``TagsValue``
``patternProperties[0]`` of ``Tags``        ``TagsPattern1``
``allOf[0]`` / ``oneOf[1]`` / ``anyOf[0]``  ``PetAllOf1`` / ``PetOneOf2`` /
of ``Pet``                                  ``PetAnyOf1``
``not`` of ``Pet``                          ``PetNot``
``components/responses/NotFound``           ``NotFoundResponse``
``components/requestBodies/NewPet``         ``NewPetRequest``
``components/parameters/limit``             ``LimitParam``
``components/headers/X-Rate``               ``XRateHeader``
``X-Rate`` of ``responses/NotFound``        ``NotFoundResponseXRateHeader``
response ``errors.yaml#/Problem``           ``ProblemResponse``
non-null part of a 3.0 nullable ``N``       ``NValue``
a whole external file ``money.yaml``        ``Money``
``$defs/Address`` (any file)                ``Address``
==========================================  ===============================

A clash gets the smallest free numeric suffix (``Order2``, ``order_id_2``).
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import unicodedata
from collections.abc import Iterable
from typing import NewType

from codegen.core.openapi import HTTP_METHODS

PythonIdentifier = NewType("PythonIdentifier", str)
"""A snake_case string that is a valid, non-shadowing Python identifier."""

ClassName = NewType("ClassName", str)
"""A PascalCase string that is a valid Python class name."""

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[A-Za-z]*")

_BUILTINS: frozenset[str] = frozenset(name for name in dir(builtins) if not name.startswith("_"))
_KEYWORDS: frozenset[str] = frozenset(keyword.kwlist)
_SOFT_KEYWORDS: frozenset[str] = frozenset(keyword.softkwlist)

VIEWSET_RESERVED: frozenset[str] = frozenset(
    {
        # Attributes and methods of servicekit's ContractViewSet (DRF's APIView,
        # ViewSetMixin, GenericViewSet and its own), and the attributes as_view()
        # sets, that an operation method must never override
        # (tests/servicekit/test_reserved_names.py keeps the list complete).
        *HTTP_METHODS,
        "action",
        "action_map",
        "allowed_methods",
        "args",
        "as_view",
        "authentication_classes",
        "basename",
        "check_object_permissions",
        "check_permissions",
        "check_throttles",
        "content_negotiation_class",
        "default_response_headers",
        "description",
        "detail",
        "determine_version",
        "dispatch",
        "finalize_response",
        "format_kwarg",
        "get_authenticate_header",
        "get_authenticators",
        "get_content_negotiator",
        "get_exception_handler",
        "get_exception_handler_context",
        "get_extra_action_url_map",
        "get_extra_actions",
        "get_format_suffix",
        "get_object",
        "get_parser_context",
        "get_parsers",
        "get_permissions",
        "get_queryset",
        "get_renderer_context",
        "get_renderers",
        "get_serializer",
        "get_serializer_class",
        "get_serializer_context",
        "get_throttles",
        "get_view_description",
        "get_view_name",
        "handle_exception",
        "headers",
        "http_method_names",
        "http_method_not_allowed",
        "implemented_operations",
        "initial",
        "initialize_request",
        "kwargs",
        "metadata_class",
        "name",
        "operation",
        "operations",
        "options",
        "parser_classes",
        "perform_authentication",
        "perform_content_negotiation",
        "permission_classes",
        "permission_denied",
        "raise_uncaught_exception",
        "renderer_classes",
        "request",
        "response",
        "reverse_action",
        "run_operation",
        "schema",
        "settings",
        "setup",
        "suffix",
        "throttle_classes",
        "throttled",
        "versioning_class",
        "view_is_async",
    }
)
"""Names an operation's ``python_name`` avoids (it becomes a ViewSet method)."""

SERIALIZER_RESERVED: frozenset[str] = frozenset(
    {
        # Attributes of servicekit's ContractSerializer (and DRF's Serializer) a
        # property's python_name must not override (it becomes a serializer
        # field attribute; tests/servicekit/test_reserved_names.py checks it).
        "Meta",
        "additional",
        "additional_properties",
        "bind",
        "build_additional",
        "build_composition",
        "build_fields",
        "build_value",
        "composition",
        "context",
        "create",
        "data",
        "declared_keys",
        "default_empty_html",
        "default_error_messages",
        "default_validators",
        "errors",
        "fail",
        "fields",
        "gate",
        "get_attribute",
        "get_default",
        "get_fields",
        "get_initial",
        "get_validators",
        "get_value",
        "has_members",
        "initial",
        "initial_data",
        "instance",
        "is_valid",
        "json_schema_check",
        "many_init",
        "parent",
        "partial",
        "python_names",
        "root",
        "run_validation",
        "run_validators",
        "save",
        "schema_name",
        "set_value",
        "to_internal_value",
        "to_representation",
        "update",
        "validate",
        "validate_empty_values",
        "validate_into",
        "validated_data",
        "validators",
    }
)
"""Names a property's ``python_name`` avoids (it becomes a serializer field)."""

PARAMETER_RESERVED: frozenset[str] = frozenset({"self", "request", "body", "cls"})
"""Names a parameter's ``python_name`` avoids (it becomes a handler argument)."""


@functools.lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """Split any spec name into ASCII words; other characters become
    ``u<codepoint>`` words so that distinct names stay distinct.

    >>> words("createOrder")
    ('create', 'Order')
    >>> words("X-Request-ID")
    ('X', 'Request', 'ID')
    >>> words("HTTPServer_v2")
    ('HTTP', 'Server', 'v2')
    >>> words("Crème brûlée")
    ('Creme', 'brulee')
    >>> words("名前")
    ('u21517', 'u21069')
    """
    if text.isascii():
        return tuple(_WORD.findall(text))
    ascii_parts: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii():
            ascii_parts.append(char)
        elif unicodedata.combining(char):
            continue
        elif char.isalnum():
            ascii_parts.append(f" u{ord(char)} ")
        else:
            ascii_parts.append(" ")
    return tuple(_WORD.findall("".join(ascii_parts)))


def snake(text: str) -> str:
    """snake_case words of ``text`` (may be empty or start with a digit).

    >>> snake("createOrder"), snake("X-Request-ID"), snake("HTTPServer"), snake("getV2Users")
    ('create_order', 'x_request_id', 'http_server', 'get_v2_users')
    """
    return "_".join(word.lower() for word in words(text))


def pascal(text: str) -> str:
    """PascalCase words of ``text``, keeping acronyms (may be empty or start
    with a digit).

    >>> pascal("order-line"), pascal("get_order"), pascal("HTTPError"), pascal("2XX")
    ('OrderLine', 'GetOrder', 'HTTPError', '2XX')
    """
    return "".join(word[0].upper() + word[1:] for word in words(text))


def identifier(
    text: str, *, fallback: str = "value", reserved: frozenset[str] = frozenset()
) -> PythonIdentifier:
    """A valid snake_case identifier that is no keyword, shadows no builtin
    and is not in ``reserved`` (those get a trailing ``_``).

    >>> [identifier(t) for t in ("orderId", "class", "id", "2fa", "$$", "_links")]
    ['order_id', 'class_', 'id_', 'n_2fa', 'value', 'links']
    >>> identifier("data", reserved=SERIALIZER_RESERVED)
    'data_'
    """
    return _snake_identifier(text, fallback, _shadowing(reserved))


@functools.lru_cache(maxsize=64)
def _shadowing(reserved: frozenset[str]) -> frozenset[str]:
    """``reserved`` and every name an identifier must not shadow: built once per
    reserved set (GitHub's spec asks for 43,000 identifiers; each union copied
    the 160 builtins)."""
    return reserved | _BUILTINS | _SOFT_KEYWORDS


def attribute(text: str, *, reserved: frozenset[str] = frozenset()) -> PythonIdentifier:
    """Like :func:`identifier`, for a name only ever read as an attribute
    (``body.id``), which shadows nothing: builtins and soft keywords stay as they are.

    >>> [attribute(t) for t in ("orderId", "class", "id", "2fa", "type")]
    ['order_id', 'class_', 'id', 'n_2fa', 'type']
    """
    return _snake_identifier(text, "value", reserved)


def _snake_identifier(text: str, fallback: str, reserved: frozenset[str]) -> PythonIdentifier:
    name = snake(text) or fallback
    if name[0].isdigit():
        name = f"n_{name}"
    if name in _KEYWORDS or name in reserved:
        name += "_"
    return PythonIdentifier(name)


def class_name(text: str, *, fallback: str = "Schema") -> ClassName:
    """A valid PascalCase class name that shadows no builtin.

    >>> [class_name(t) for t in ("order-line", "pet", "Exception", "200", "", "None")]
    ['OrderLine', 'Pet', 'ExceptionSchema', 'Schema200', 'Schema', 'NoneSchema']
    """
    name = pascal(text)
    if not name:
        return ClassName(fallback)
    if name[0].isdigit():
        name = fallback + name
    if name in _KEYWORDS or name in _BUILTINS:
        name += fallback
    return ClassName(name)


class Namespace:
    """Hands out unique names; the first claim of a name gets it as is,
    later ones the smallest free numeric suffix.

    >>> ns = Namespace(style="snake", reserved=["self"])
    >>> [ns.claim(n) for n in ("order_id", "order_id", "self", "order_id_2", "id_", "id_")]
    ['order_id', 'order_id_2', 'self_2', 'order_id_2_2', 'id_', 'id_2']
    >>> classes = Namespace(style="class")
    >>> [classes.claim(n) for n in ("Order", "Order", "Order2")]
    ['Order', 'Order2', 'Order22']
    """

    def __init__(self, *, style: str, reserved: Iterable[str] = ()) -> None:
        self._separator = "_" if style == "snake" else ""
        self._taken: set[str] = set(reserved)
        self._next: dict[str, int] = {}  # name -> first suffix worth trying (keeps claims linear)

    def claim(self, name: str) -> str:
        candidate, number = name, self._next.get(name, 2)
        separator = "" if name.endswith("_") else self._separator
        while candidate in self._taken:
            candidate = f"{name}{separator}{number}"
            number += 1
        self._next[name] = number
        self._taken.add(candidate)
        return candidate

    def __contains__(self, name: str) -> bool:
        return name in self._taken


_SECTION_SUFFIX = {
    "responses": "Response",
    "requestBodies": "Request",
    "parameters": "Param",
    "headers": "Header",
}
_COMPOSITE_SUFFIX = {"allOf": "AllOf", "oneOf": "OneOf", "anyOf": "AnyOf", "prefixItems": "Item"}
_SKIPPED_TOKENS = frozenset({"content", "schema", "components", "schemas"})


def schema_hint_from_pointer(tokens: list[str], file_stem: str) -> str:
    """The name a schema gets from where it lives (used for ``$ref`` targets
    and component sections), following the table in the module docstring.

    >>> schema_hint_from_pointer(["components", "schemas", "order-line"], "orders")
    'OrderLine'
    >>> schema_hint_from_pointer("components/schemas/Order/properties/lines/items".split("/"), "x")
    'OrderLinesItem'
    >>> schema_hint_from_pointer(["components", "responses", "NotFound", "content", "a/json"], "x")
    'NotFoundResponse'
    >>> schema_hint_from_pointer([], "money")
    'Money'
    >>> schema_hint_from_pointer(["$defs", "Address"], "common")
    'Address'
    """
    parts: list[str] = [] if tokens else [pascal(file_stem)]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in ("$defs", "definitions") and following is not None:
            parts = [pascal(following)]
            index += 2
            continue
        if index == 0 and token == "components" and len(tokens) >= 3:
            section, name = tokens[1], tokens[2]
            parts = [pascal(name), _SECTION_SUFFIX.get(section, "")]
            index = 3
            continue
        if token in ("properties", "patternProperties") and following is not None:
            parts.append(pascal(following))
            index += 2
            continue
        if token in _COMPOSITE_SUFFIX and following is not None and following.isdigit():
            parts.append(f"{_COMPOSITE_SUFFIX[token]}{int(following) + 1}")
            index += 2
            continue
        if token == "content" and following is not None:
            index += 2  # the media type does not name the schema
            continue
        if token == "headers" and following is not None:
            parts.append(pascal(following) + "Header")
            index += 2
            continue
        special = {"items": "Item", "additionalProperties": "Value", "not": "Not"}
        if token in special:
            parts.append(special[token])
        elif token not in _SKIPPED_TOKENS:
            parts.append(pascal(token))
        index += 1
    return "".join(parts)


def fallback_operation_id(method: str, path: str) -> str:
    """The stable operationId used when the spec gives none.

    >>> fallback_operation_id("get", "/orders/{order_id}/lines")
    'get_orders_by_order_id_lines'
    >>> fallback_operation_id("post", "/")
    'post_root'
    """
    parts = [method.lower()]
    for segment in path.split("/"):
        for literal, param in re.findall(r"([^{]*)(?:\{([^}]*)\})?", segment):
            if literal:
                parts.append(snake(literal))
            if param:
                parts.append("by_" + snake(param))
    cleaned = [part for part in parts if part]
    return "_".join(cleaned) if len(cleaned) > 1 else f"{method.lower()}_root"
