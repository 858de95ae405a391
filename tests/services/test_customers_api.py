"""Every customers operation, with each error response it declares."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from customers.models import Customer
from django.contrib.auth.hashers import check_password

from tests.services.conftest import Api, create_customer, customer_body, new_id
from tests.services.problems import assert_problem

Token = Callable[..., dict[str, str]]


def test_list_customers_needs_admin_and_filters(api: Api, admin: dict[str, str]) -> None:
    ada = create_customer(api, "Ada@Example.com", name="Ada")
    create_customer(api, "grace@example.com", name="Grace", status="suspended")
    create_customer(api, "alan@example.com", name="Alan")

    def emails(query: str) -> list[str]:
        response = api.call("GET", f"/customers?{query}", headers=admin)
        assert response.status_code == 200, response.content
        return [c["email"] for c in response.json()["items"]]

    assert emails("sort=name") == ["Ada@Example.com", "alan@example.com", "grace@example.com"]
    assert emails("sort=-email") == ["grace@example.com", "alan@example.com", "Ada@Example.com"]
    assert emails("email=ada@example.com") == ["Ada@Example.com"]
    assert emails("status=suspended") == ["grace@example.com"]
    assert emails("q=GRA") == ["grace@example.com"]
    created = ada["created_at"]
    assert "Ada@Example.com" in emails(f"created_after={created.replace('+00:00', 'Z')}")
    assert emails("created_before=2000-01-01T00:00:00Z") == []
    page = api.call("GET", "/customers?limit=2&offset=1", headers=admin).json()
    assert (len(page["items"]), page["total"], page["limit"], page["offset"]) == (2, 3, 2, 1)


def test_list_customers_errors(api: Api, admin: dict[str, str], customer_token: Token) -> None:
    assert_problem(api.call("GET", "/customers?limit=500", headers=admin), 400)
    for query in ("email=not-an-email", "email=a@b.example&email=c@d.example", "emial=a@b.example"):
        problem = assert_problem(api.call("GET", f"/customers?{query}", headers=admin), 400)
        assert [e["parameter"] for e in problem["errors"]] == [query.split("=")[0]], problem
    assert_problem(api.call("GET", "/customers"), 401)
    assert_problem(api.call("GET", "/customers", headers={"Authorization": "Bearer x.y.z"}), 401)
    assert_problem(api.call("GET", "/customers", headers=customer_token(new_id())), 403, "admin")


def test_create_customer_hashes_the_password(api: Api, customer_token: Token) -> None:
    body = customer_body(
        phone="+442071838750",
        addresses=[{"line1": "1 Main St", "city": "London", "postal_code": "SW1", "country": "GB"}],
    )
    response = api.call("POST", "/customers", body, customer_token(new_id()))
    assert response.status_code == 201, response.content
    customer = response.json()
    assert "password" not in customer
    assert response["Location"] == f"/customers/{customer['id']}"
    assert customer["status"] == "active" and customer["marketing_opt_in"] is False
    assert customer["addresses"][0]["city"] == "London"
    stored = Customer.objects.get(pk=customer["id"])
    assert stored.password_hash != body["password"]
    assert check_password(body["password"], stored.password_hash)


def test_create_customer_errors(api: Api, admin: dict[str, str]) -> None:
    create_customer(api, "ada@example.com")
    assert_problem(api.call("POST", "/customers", customer_body(password="short"), admin), 400)
    assert_problem(api.call("POST", "/customers", customer_body("x@example.com")), 401)
    duplicate = customer_body("ADA@example.com")
    assert_problem(api.call("POST", "/customers", duplicate, admin), 409, "already registered")
    text = api.call("POST", "/customers", raw="x", content_type="text/plain", headers=admin)
    assert_problem(text, 415)


def test_get_customer(api: Api, admin: dict[str, str], customer_token: Token) -> None:
    ada = create_customer(api)
    path = f"/customers/{ada['id']}"
    own = api.call("GET", path, headers=customer_token(ada["id"]))
    assert own.status_code == 200 and own.json() == ada and own["ETag"]
    service = api.call("GET", path, headers=customer_token("service:orders", "customers:read"))
    assert service.status_code == 200
    assert api.call("GET", path, headers=admin).status_code == 200
    assert_problem(api.call("GET", path), 401)
    assert_problem(api.call("GET", path, headers=customer_token(new_id())), 403)
    assert_problem(api.call("GET", f"/customers/{new_id()}", headers=admin), 404)


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_change_customer(api: Api, customer_token: Token, method: str) -> None:
    ada = create_customer(api)
    path = f"/customers/{ada['id']}"
    me = customer_token(ada["id"])
    etag = api.call("GET", path, headers=me)["ETag"]
    body = (
        customer_body("ada@lovelace.org", password="new password", marketing_opt_in=True)
        if method == "PUT"
        else {"email": "ada@lovelace.org", "password": "new password", "marketing_opt_in": True}
    )
    response = api.call(method, path, body, {**me, "If-Match": etag})
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "ada@lovelace.org"
    assert response.json()["marketing_opt_in"] is True
    assert "password" not in response.json()
    assert response["ETag"] != etag
    assert check_password("new password", Customer.objects.get(pk=ada["id"]).password_hash)
    assert_problem(api.call(method, path, body, {**me, "If-Match": etag}), 412)


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_change_customer_errors(
    api: Api, admin: dict[str, str], customer_token: Token, method: str
) -> None:
    ada = create_customer(api)
    create_customer(api, "grace@example.com")
    path = f"/customers/{ada['id']}"
    etag = api.call("GET", path, headers=admin)["ETag"]
    headers = {**admin, "If-Match": etag}
    good = customer_body() if method == "PUT" else {"name": "Ada King"}
    invalid = {**good, "phone": "12"}
    assert_problem(api.call(method, path, invalid, headers), 400)
    assert_problem(api.call(method, path, good, {"If-Match": etag}), 401)
    other = {**customer_token(new_id()), "If-Match": etag}
    assert_problem(api.call(method, path, good, other), 403)
    assert_problem(api.call(method, f"/customers/{new_id()}", good, headers), 404)
    taken = {**good, "email": "grace@example.com"}
    assert_problem(api.call(method, path, taken, headers), 409)
    text = api.call(method, path, raw="x", content_type="text/plain", headers=headers)
    assert_problem(text, 415)
    assert_problem(api.call(method, path, good, admin), 428)


def test_delete_customer(api: Api, admin: dict[str, str], customer_token: Token) -> None:
    ada = create_customer(api)
    path = f"/customers/{ada['id']}"
    assert_problem(api.call("DELETE", path), 401)
    assert_problem(api.call("DELETE", path, headers=customer_token(new_id())), 403)
    assert api.call("DELETE", path, headers=customer_token(ada["id"])).status_code == 204
    assert_problem(api.call("DELETE", path, headers=admin), 404)


def test_an_address_member_the_spec_does_not_declare_is_refused(
    api: Api, admin: dict[str, str]
) -> None:
    address = {"line1": "1 Main St", "city": "London", "postal_code": "SW1", "country": "GB"}
    body = customer_body(addresses=[{**address, "floor": 2.5}])
    problem = assert_problem(api.call("POST", "/customers", body, admin), 400)
    assert [error["pointer"] for error in problem["errors"]] == ["/addresses/0/floor"]
