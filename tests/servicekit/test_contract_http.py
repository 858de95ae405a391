"""Behaviour of generated code over HTTP: valid and invalid requests through
the Django test client, with exact statuses and problem bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from servicekit.contract import ContractError

from codegen.core.problems.schema import problem_violation
from tests.servicekit.harness import root_urlconf

PROBLEM = "application/problem+json"


def post_json(client: Client, path: str, data: Any, method: str = "post") -> Any:
    return getattr(client, method)(path, data=json.dumps(data), content_type="application/json")


def _where(entry: dict[str, str]) -> str:
    """``"/lines/0"`` for the body, ``"query:limit"``, ``"header:X-Trace/0"`` for the rest."""
    pointer = entry.get("pointer", "")
    if "parameter" in entry:
        return f"{entry['in']}:{entry['parameter']}{pointer}"
    if "header" in entry:
        return f"header:{entry['header']}{pointer}"
    return pointer


def errors(response: Any) -> list[tuple[str, str]]:
    assert response["Content-Type"] == PROBLEM
    assert problem_violation(response.json()) is None
    return [(_where(e), e["detail"]) for e in response.json()["errors"]]


VALID_ORDER = {"customer": "a@b.co", "lines": [{"sku": "ÀB-1", "quantity": 2, "price": 19.99}]}


def test_valid_body_reaches_handler_and_output_uses_the_response_serializer(client: Client) -> None:
    order = {**VALID_ORDER, "secret": "hidden", "id": 55, "note": None, "placed-on": "2024-02-29"}
    response = post_json(client, "/orders", order)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    # readOnly id from the client is ignored (the handler sets 1), writeOnly
    # secret is accepted but never written, the date round-trips.
    assert response.json() == {
        "id": 1,
        "customer": "a@b.co",
        "note": None,
        "placed-on": "2024-02-29",
        "lines": [{"sku": "ÀB-1", "quantity": 2, "price": 19.99}],
    }


def test_every_invalid_body_field_is_listed_by_pointer(client: Client) -> None:
    order = {
        "customer": "not-an-email",
        "note": "x" * 21,
        "priority": "urgent",
        "kind": "wholesale",
        "placed-on": "2023-02-29",
        "lines": [{"sku": "ab-1", "quantity": 100, "price": 0.001, "colour": "red"}],
        "unknown": 1,
    }
    response = post_json(client, "/orders", order)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "/_specfirst/problems#invalid_request"
    assert body["code"] == "invalid_request"
    assert body["title"] == "Invalid request"
    assert body["detail"] == "The request is invalid (10 error(s))."
    assert errors(response) == [
        ("/customer", "Must be an email address."),
        ("/note", "Ensure this value has at most 20 characters."),
        ("/priority", 'Must be one of: "low", "high", null.'),
        ("/placed-on", "2023-02-29 is not a valid calendar date."),
        ("/kind", 'Must be "retail".'),
        ("/lines/0/sku", "Must match the pattern ^\\p{Lu}{2}-[0-9]+$."),
        ("/lines/0/quantity", "Ensure this value is less than 100."),
        ("/lines/0/price", "Must be a multiple of 0.01."),
        ("/lines/0/colour", "Unexpected property."),
        ("/unknown", "Unexpected property."),
    ]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"lines": []},
            [
                ("/customer", "This field is required."),
                ("/lines", "Ensure this list has at least 1 items (it has 0)."),
            ],
        ),
        (
            {"customer": 5, "lines": "x"},
            [
                ("/customer", "Must be of type string."),
                ("/lines", "Must be of type array."),
            ],
        ),
        (
            {"customer": "a@b.co", "lines": [{"sku": "AB-1", "quantity": "2"}]},
            [("/lines/0/quantity", "Must be of type integer.")],
        ),
        (
            {"customer": "a@b.co", "lines": [{"sku": "AB-1", "quantity": True}]},
            [("/lines/0/quantity", "Must be of type integer.")],
        ),
        (
            {"customer": None, "lines": [None]},
            [("/customer", "Must not be null."), ("/lines/0", "Must not be null.")],
        ),
        ([1, 2], [("", "Must be of type object.")]),
    ],
)
def test_types_are_strict_and_required_differs_from_nullable(
    client: Client, payload: Any, expected: list[tuple[str, str]]
) -> None:
    response = post_json(client, "/orders", payload)
    assert response.status_code == 400
    assert errors(response) == expected


def test_integral_floats_are_integers_and_null_is_allowed_only_where_nullable(
    client: Client,
) -> None:
    order = {"customer": "a@b.co", "priority": None, "lines": [{"sku": "AB-1", "quantity": 2.0}]}
    response = post_json(client, "/orders", order)
    assert response.status_code == 201
    assert response.json()["lines"][0]["quantity"] == 2
    assert response.json()["priority"] is None


def test_malformed_json_and_missing_body_are_400(client: Client) -> None:
    response = client.post("/orders", data="{", content_type="application/json")
    assert response.status_code == 400
    assert errors(response)[0][0] == ""
    assert errors(response)[0][1].startswith("The body is not valid JSON")
    response = client.post("/orders", data="", content_type="application/json")
    assert errors(response) == [("", "A request body is required.")]
    response = client.post("/orders", data="NaN", content_type="application/json")
    assert errors(response)[0][0] == ""


def test_unsupported_media_type_is_415(client: Client) -> None:
    response = client.post("/orders", data="<a/>", content_type="application/xml")
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == (
        "Content-Type application/xml is not accepted here; "
        "use one of: application/json, application/x-www-form-urlencoded."
    )


def test_form_body_is_typed_by_its_schema(client: Client) -> None:
    response = client.post(
        "/orders",
        data="customer=a%40b.co&quantity=3&gift=true",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201
    assert response["X-Body"] == "[('customer', 'a@b.co'), ('gift', True), ('quantity', 3)]"
    assert response.json() == {"id": 1, "customer": "a@b.co", "lines": []}
    response = client.post(
        "/orders", data="quantity=x", content_type="application/x-www-form-urlencoded"
    )
    assert errors(response) == [
        ("/customer", "This field is required."),
        ("/quantity", "Must be of type integer."),
    ]


def test_response_missing_a_required_property_is_a_contract_error(client: Client) -> None:
    with pytest.raises(ContractError, match="Order: the response lacks required property"):
        client.get("/orders/98")
    # required + readOnly: not expected from clients, required in responses
    with pytest.raises(ContractError, match="lacks required property 'id'"):
        client.get("/orders/96")


def test_form_encoding_styles_and_json_parts(client: Client) -> None:
    response = client.post(
        "/forms",
        data="tags=a,b&ids=1&ids=2&piped=3|4",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.json() == {"tags": ["a", "b"], "ids": [1, 2], "piped": [3, 4]}
    response = client.post(
        "/forms", data="tags=a,b,c,d&ids=x", content_type="application/x-www-form-urlencoded"
    )
    assert errors(response) == [
        ("/tags", "Ensure this list has at most 3 items (it has 4)."),
        ("/ids/0", "Must be of type integer."),
    ]
    # multipart: an object part is JSON by default
    assert client.post("/forms", data={"meta": '{"n": 2}', "raw": "x"}).json() == {
        "meta": {"n": 2},
        "raw": "x",
    }
    response = client.post("/forms", data={"meta": '{"n": "2"}'})
    assert errors(response) == [("/meta/n", "Must be of type integer.")]
    response = client.post("/forms", data={"meta": "{"})
    assert errors(response) == [("", "Part 'meta' is not valid JSON.")]


def test_multipart_body_with_a_file(client: Client) -> None:
    upload = SimpleUploadedFile("p.txt", b"leaf", content_type="text/plain")
    response = client.post("/trees/oak/", data={"photo": upload, "caption": "hi", "count": "2"})
    assert response.status_code == 200
    assert response.json() == {
        "kind": "oak",
        "body": {"photo": "leaf", "caption": "hi", "count": 2},
    }
    response = client.post("/trees/oak/", data={"caption": "far too long"})
    assert errors(response) == [
        ("/photo", "This field is required."),
        ("/caption", "Ensure this value has at most 10 characters."),
    ]


def test_query_header_and_cookie_parameters_are_parsed_and_typed(client: Client) -> None:
    client.cookies["session"] = "abcd"
    response = client.get(
        "/orders?limit=3&status=open&status=closed&ids=1,2&filter[min]=4&filter[name]=x",
        HTTP_X_TRACE="12345678-1234-5678-1234-567812345678",
    )
    assert response.status_code == 200
    assert response["X-Params"] == repr(
        sorted(
            {
                "limit": 3,
                "status": ["open", "closed"],
                "ids": [1, 2],
                "filter_": {"min": 4, "name": "x"},
                "x_trace": __import__("uuid").UUID("12345678-1234-5678-1234-567812345678"),
                "session": "abcd",
            }.items()
        )
    )
    # writeOnly "secret" set by the handler is never written.
    assert response.json() == [
        {"id": 7, "customer": "a@b.co", "lines": [{"sku": "AB-1", "quantity": 1}]}
    ]


def test_absent_optional_parameters_get_their_default_or_none(client: Client) -> None:
    response = client.get("/orders")
    assert "('limit', 10)" in response["X-Params"]
    assert "('status', None)" in response["X-Params"]


def test_every_invalid_parameter_is_listed(client: Client) -> None:
    client.cookies["session"] = "ab"
    response = client.get(
        "/orders?limit=0&status=open&status=bad&ids=1,x&filter[min]=q", HTTP_X_TRACE="nope"
    )
    assert response.status_code == 400
    assert errors(response) == [
        ("query:limit", "Ensure this value is greater than or equal to 1."),
        ("query:status/1", 'Must be one of: "open", "closed".'),
        ("query:ids/1", "Must be of type integer."),
        ("query:filter/min", "Must be of type integer."),
        ("header:X-Trace", "Must be a UUID."),
        ("cookie:session", "Ensure this value has at least 3 characters."),
    ]


def test_path_parameters_use_converters_and_are_validated(client: Client) -> None:
    assert client.get("/orders/12").json()["id"] == 12
    assert client.get("/orders/abc").status_code == 404  # the int converter does not match
    response = client.get("/orders/0")
    assert errors(response) == [
        ("path:orderId", "Ensure this value is greater than or equal to 1.")
    ]
    assert client.post("/trees/pine/", data={}).status_code == 404  # enum converter


def test_static_paths_beat_templated_ones(client: Client) -> None:
    response = client.get("/orders/export")
    assert response.status_code == 501
    assert response.json() == {
        "type": "/_specfirst/problems#not_implemented",
        "title": "Not Implemented",
        "status": 501,
        "detail": "Operation exportOrders is not implemented yet.",
        "instance": "/orders/export",
        "code": "not_implemented",
        "request_id": response["X-Request-ID"],
    }


def test_unimplemented_operations_validate_before_answering_501(contract_api: Any) -> None:
    bare = root_urlconf(contract_api, None)
    with override_settings(ROOT_URLCONF=bare):
        client = Client()
        assert post_json(client, "/shapes", {"shape": "circle"}).status_code == 422
        assert post_json(client, "/shapes", {"shape": "circle", "radius": 1}).status_code == 501


def test_unknown_path_is_404_and_undeclared_method_is_405_with_allow(client: Client) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json() == {
        "type": "/_specfirst/problems#route_not_found",
        "title": "No such route",
        "status": 404,
        "detail": "No route for GET /nowhere.",
        "instance": "/nowhere",
        "code": "route_not_found",
        "request_id": response["X-Request-ID"],
    }
    response = client.patch("/orders")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response["Allow"] == "GET, POST, HEAD"
    response = client.put("/orders/3")
    assert response.status_code == 405
    assert response["Allow"] == "GET, DELETE, PATCH, HEAD"


def test_trailing_slashes_are_exact(client: Client) -> None:
    assert client.get("/orders/").status_code == 404
    assert client.post("/trees/oak", data={}).status_code == 404


def test_oneof_with_discriminator_dispatches_at_run_time(client: Client) -> None:
    assert post_json(client, "/shapes", {"shape": "square", "side": 2}).json() == {
        "shape": "square",
        "side": 2,
    }
    response = post_json(client, "/shapes", {"shape": "square", "radius": 2})
    assert response.status_code == 422  # the operation declares 422 and not 400
    assert errors(response) == [("/side", "This field is required.")]
    response = post_json(client, "/shapes", {"shape": "hexagon"})
    assert errors(response) == [("/shape", "Must be one of: circle, square.")]
    response = post_json(client, "/shapes", {"radius": 1})
    assert errors(response) == [("/shape", "This field is required.")]


def test_recursive_schema_and_pattern_properties(client: Client) -> None:
    tree = {"name": "a", "x-tag": "t", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    response = post_json(client, "/trees/elm/", tree)
    assert response.status_code == 200
    assert response.json()["body"] == tree
    response = post_json(client, "/trees/elm/", {"name": "a", "children": [{"name": ""}]})
    assert errors(response) == [
        ("/children/0/name", "Ensure this value has at least 1 characters.")
    ]
    # patternProperties is enforced by the JSON Schema check.
    response = post_json(client, "/trees/elm/", {"name": "a", "x-tag": 3, "other": 1})
    assert response.status_code == 400
    assert {pointer for pointer, _ in errors(response)} == {"", "/x-tag"}


def test_additional_properties_schema_and_max_properties(client: Client) -> None:
    assert post_json(client, "/maps", {"a": "abcd"}).json() == {"a": "abcd"}
    response = post_json(client, "/maps", {"a": "abcde", "b": 1, "c": "", "d": ""})
    assert errors(response) == [
        ("", "Ensure this object has at most 3 properties."),
    ]
    response = post_json(client, "/maps", {"a": "abcde", "b": 1})
    assert errors(response) == [
        ("/a", "Ensure this value has at most 4 characters."),
        ("/b", "Must be of type string."),
    ]


def test_array_and_text_bodies_by_content_type(client: Client) -> None:
    response = post_json(client, "/values", [1, 2.5, 0.07], method="put")
    assert response.status_code == 200
    assert response.json() == {"body": [1, 2.5, 0.07], "type": "tuple"}  # arrays arrive as tuples
    response = post_json(client, "/values", [1, 1.0, 0.001], method="put")
    assert errors(response) == [
        ("", "Items 0 and 1 are equal; items must be unique."),
        ("/2", "Must be a multiple of 0.01."),
    ]
    response = client.put("/values", data="hello", content_type="text/plain")
    assert response.json() == {"body": "hello", "type": "str"}
    response = client.put("/values", data="toolong", content_type="text/plain")
    assert errors(response) == [("", "Ensure this value has at most 5 characters.")]


def test_optional_body_may_be_absent(client: Client) -> None:
    response = client.put("/values")
    assert response.json() == {"body": None, "type": "NoneType"}


def test_no_content_response(client: Client) -> None:
    response = client.delete("/orders/3")
    assert response.status_code == 204
    assert response.content == b""
    assert response["X-Deleted"] == "3"


def test_missing_required_response_header_is_a_contract_error(client: Client) -> None:
    with pytest.raises(ContractError, match="response 204 lacks required header"):
        client.delete("/orders/97")


def test_undeclared_status_is_a_contract_error(client: Client) -> None:
    with pytest.raises(ContractError, match="answered 418, which the spec does not declare"):
        client.get("/orders/99")


def test_undeclared_status_answers_500_problem_in_production(client: Client) -> None:
    with override_settings(SPECFIRST_RAISE_CONTRACT_ERRORS=False):
        response = client.get("/orders/99")
    assert response.status_code == 500
    assert response.json()["detail"] == "The server failed to honour its API contract."


def test_oversized_json_body_is_413(client: Client) -> None:
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        response = post_json(client, "/orders", {**VALID_ORDER, "note": "x" * 200})
    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is larger than this service accepts."
