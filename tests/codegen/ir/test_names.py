"""names: the only place identifiers are made."""

from __future__ import annotations

import keyword

import pytest

from codegen.core.ir import names
from codegen.core.spec.pointer import split


@pytest.mark.parametrize(
    ("text", "snake", "pascal"),
    [
        ("createOrder", "create_order", "CreateOrder"),
        ("X-Request-ID", "x_request_id", "XRequestID"),
        ("HTTPServerError", "http_server_error", "HTTPServerError"),
        ("order_lines", "order_lines", "OrderLines"),
        ("getV2Users", "get_v2_users", "GetV2Users"),
        ("2XX", "2xx", "2XX"),
        ("Crème brûlée", "creme_brulee", "CremeBrulee"),
        ("名前", "u21517_u21069", "U21517U21069"),
        ("$$", "", ""),
    ],
)
def test_snake_and_pascal(text: str, snake: str, pascal: str) -> None:
    assert (names.snake(text), names.pascal(text)) == (snake, pascal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("orderId", "order_id"),
        ("class", "class_"),
        ("None", "none"),
        ("list", "list_"),
        ("match", "match_"),
        ("2fa", "n_2fa"),
        ("", "value"),
        ("_private", "private"),
    ],
)
def test_identifier_is_valid_and_shadows_nothing(text: str, expected: str) -> None:
    result = names.identifier(text)
    assert result == expected
    assert result.isidentifier() and not keyword.iskeyword(result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("order-line", "OrderLine"),
        ("Exception", "ExceptionSchema"),
        ("200", "Schema200"),
        ("True", "TrueSchema"),
        ("", "Schema"),
    ],
)
def test_class_name(text: str, expected: str) -> None:
    assert names.class_name(text) == expected


def test_reserved_names_get_a_trailing_underscore() -> None:
    assert names.identifier("data", reserved=names.SERIALIZER_RESERVED) == "data_"
    assert names.identifier("dispatch", reserved=names.VIEWSET_RESERVED) == "dispatch_"
    assert names.identifier("request", reserved=names.PARAMETER_RESERVED) == "request_"


def test_namespace_suffixes_are_stable() -> None:
    classes = names.Namespace(style="class")
    assert [classes.claim(n) for n in ("Order", "Order", "Order", "Order2")] == [
        "Order",
        "Order2",
        "Order3",
        "Order22",
    ]
    assert "Order3" in classes


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/orders/{order_id}", "get_orders_by_order_id"),
        ("post", "/", "post_root"),
        ("delete", "/v1/users/{id}.{format}", "delete_v1_users_by_id_by_format"),
        ("get", "/files/{path}/raw-content", "get_files_by_path_raw_content"),
    ],
)
def test_fallback_operation_id(method: str, path: str, expected: str) -> None:
    assert names.fallback_operation_id(method, path) == expected


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("/components/schemas/order-line", "OrderLine"),
        ("/components/schemas/Order/properties/lines/items", "OrderLinesItem"),
        ("/components/schemas/Pet/oneOf/1", "PetOneOf2"),
        ("/components/schemas/Tags/additionalProperties", "TagsValue"),
        ("/components/responses/NotFound/content/application~1json/schema", "NotFoundResponse"),
        ("/components/requestBodies/NewPet/content/application~1json/schema", "NewPetRequest"),
        ("/components/parameters/limit/schema", "LimitParam"),
        ("/$defs/Address", "Address"),
        ("", "Money"),
    ],
)
def test_schema_hint_from_pointer(pointer: str, expected: str) -> None:
    assert names.schema_hint_from_pointer(split(pointer), "money") == expected
