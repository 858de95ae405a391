"""Every catalog operation, with each error response it declares."""

from __future__ import annotations

import uuid

import pytest

from tests.services.conftest import (
    API_KEY,
    Api,
    Seed,
    create_category,
    create_product,
    new_id,
    product_body,
)
from tests.services.problems import assert_problem

JSON_TEXT = "text/plain"


# -- categories -------------------------------------------------------------------------------


def test_list_categories_paginates_filters_and_sorts(api: Api) -> None:
    parent = create_category(api, "kitchen")
    for slug in ("mugs", "plates", "bowls"):
        create_category(api, slug, parent_id=parent["id"])
    response = api.call("GET", f"/categories?parent_id={parent['id']}&sort=-name&limit=2")
    assert response.status_code == 200
    page = response.json()
    assert [c["slug"] for c in page["items"]] == ["plates", "mugs"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    rest = api.call("GET", f"/categories?parent_id={parent['id']}&sort=-name&limit=2&offset=2")
    assert [c["slug"] for c in rest.json()["items"]] == ["bowls"]
    assert [c["slug"] for c in api.call("GET", "/categories?q=PLA").json()["items"]] == ["plates"]
    assert api.call("GET", "/categories?offset=99").json()["items"] == []


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "sort=size", "parent_id=7"])
def test_list_categories_rejects_bad_parameters(api: Api, query: str) -> None:
    assert_problem(api.call("GET", f"/categories?{query}"), 400)


def test_create_category(api: Api) -> None:
    response = api.call("POST", "/categories", {"name": "Garden", "slug": "garden"}, API_KEY)
    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"/categories/{body['id']}"
    assert response["ETag"].startswith('"')
    assert body["description"] == "" and body["parent_id"] is None
    uuid.UUID(body["id"])


def test_create_category_errors(api: Api) -> None:
    create_category(api, "garden")
    assert_problem(api.call("POST", "/categories", {"name": "x"}, API_KEY), 400)
    assert_problem(api.call("POST", "/categories", {"name": "G", "slug": "g"}), 401)
    bad_key = {"X-API-Key": "wrong"}
    assert_problem(api.call("POST", "/categories", {"name": "G", "slug": "g"}, bad_key), 401)
    dup = api.call("POST", "/categories", {"name": "G", "slug": "garden"}, API_KEY)
    assert_problem(dup, 409, "garden")
    text = api.call("POST", "/categories", raw="name=G", content_type=JSON_TEXT, headers=API_KEY)
    assert_problem(text, 415)
    orphan = {"name": "G", "slug": "g", "parent_id": new_id()}
    assert_problem(api.call("POST", "/categories", orphan, API_KEY), 422, "does not exist")


def test_get_category(api: Api) -> None:
    created = create_category(api, "garden")
    response = api.call("GET", f"/categories/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created
    assert response["ETag"].startswith('"')
    assert_problem(api.call("GET", f"/categories/{new_id()}"), 404)


def test_update_category(api: Api) -> None:
    created = create_category(api, "garden")
    path = f"/categories/{created['id']}"
    etag = api.call("GET", path)["ETag"]
    response = api.call("PATCH", path, {"name": "Outdoor"}, {**API_KEY, "If-Match": etag})
    assert response.status_code == 200
    assert response.json()["name"] == "Outdoor"
    assert response["ETag"] != etag
    # the old ETag no longer matches
    stale = api.call("PATCH", path, {"name": "Again"}, {**API_KEY, "If-Match": etag})
    assert_problem(stale, 412)


def test_update_category_errors(api: Api) -> None:
    created = create_category(api, "garden")
    create_category(api, "kitchen")
    path = f"/categories/{created['id']}"
    headers = {**API_KEY, "If-Match": api.call("GET", path)["ETag"]}
    assert_problem(api.call("PATCH", path, {}, headers), 400)
    assert_problem(api.call("PATCH", path, {"name": "x"}, {"If-Match": headers["If-Match"]}), 401)
    assert_problem(api.call("PATCH", f"/categories/{new_id()}", {"name": "x"}, headers), 404)
    assert_problem(api.call("PATCH", path, {"slug": "kitchen"}, headers), 409)
    assert_problem(api.call("PATCH", path, raw="x", content_type=JSON_TEXT, headers=headers), 415)
    assert_problem(api.call("PATCH", path, {"parent_id": created["id"]}, headers), 422)
    assert_problem(api.call("PATCH", path, {"name": "x"}, API_KEY), 428)


def test_delete_category(api: Api) -> None:
    empty = create_category(api, "garden")
    used = create_category(api, "kitchen")
    create_product(api, used["id"], "MUG-01")
    assert api.call("DELETE", f"/categories/{empty['id']}", headers=API_KEY).status_code == 204
    assert_problem(api.call("GET", f"/categories/{empty['id']}"), 404)
    assert_problem(api.call("DELETE", f"/categories/{used['id']}"), 401)
    assert_problem(api.call("DELETE", f"/categories/{empty['id']}", headers=API_KEY), 404)
    assert_problem(api.call("DELETE", f"/categories/{used['id']}", headers=API_KEY), 409)


# -- products ---------------------------------------------------------------------------------


def test_list_products_filters_and_sorts(api: Api, catalog_seed: Seed) -> None:
    other = create_category(api, "garden")
    create_product(api, other["id"], "HOSE-01", price="30.00", stock=0, status="draft")

    def skus(query: str) -> list[str]:
        response = api.call("GET", f"/products?{query}")
        assert response.status_code == 200, response.content
        return [p["sku"] for p in response.json()["items"]]

    assert skus("sort=price") == ["PLATE-01", "MUG-01", "HOSE-01"]
    assert skus("sort=-price") == ["HOSE-01", "MUG-01", "PLATE-01"]
    assert skus(f"category_id={other['id']}") == ["HOSE-01"]
    assert skus("status=draft") == ["HOSE-01"]
    assert skus("min_price=5.00&max_price=20.00") == ["MUG-01"]
    assert skus("in_stock=false") == ["HOSE-01"]
    assert skus("in_stock=true&sort=name") == ["MUG-01", "PLATE-01"]
    assert skus("q=plate") == ["PLATE-01"]
    page = api.call("GET", "/products?limit=1&offset=1&sort=price").json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)


@pytest.mark.parametrize(
    "query", ["min_price=5", "status=gone", "in_stock=maybe", "sort=stock", "limit=x"]
)
def test_list_products_rejects_bad_parameters(api: Api, query: str) -> None:
    assert_problem(api.call("GET", f"/products?{query}"), 400)


def test_create_product(api: Api, catalog_seed: Seed) -> None:
    body = product_body(
        catalog_seed.category_id,
        "LAMP-01",
        tags=["light", "desk"],
        attributes=[{"name": "colour", "value": "red"}],
        dimensions={"weight_grams": 800, "width_mm": 120},
    )
    response = api.call("POST", "/products", body, API_KEY)
    assert response.status_code == 201, response.content
    product = response.json()
    assert response["Location"] == f"/products/{product['id']}"
    assert product["price"] == "9.50"
    assert product["attributes"] == [{"name": "colour", "value": "red"}]
    assert product["dimensions"] == {"weight_grams": 800, "width_mm": 120}
    assert api.call("GET", response["Location"]).json() == product


def test_create_product_errors(api: Api, catalog_seed: Seed) -> None:
    body = product_body(catalog_seed.category_id, "LAMP-01")
    assert_problem(api.call("POST", "/products", {**body, "price": "9.5"}, API_KEY), 400)
    assert_problem(api.call("POST", "/products", body), 401)
    assert_problem(api.call("POST", "/products", {**body, "sku": "MUG-01"}, API_KEY), 409)
    assert_problem(
        api.call("POST", "/products", raw="{}", content_type=JSON_TEXT, headers=API_KEY), 415
    )
    unknown = {**body, "category_id": new_id()}
    assert_problem(api.call("POST", "/products", unknown, API_KEY), 422, "category")


def test_get_product(api: Api, catalog_seed: Seed) -> None:
    response = api.call("GET", f"/products/{catalog_seed.mug_id}")
    assert response.status_code == 200
    assert response.json()["sku"] == "MUG-01"
    assert response["ETag"]
    assert_problem(api.call("GET", f"/products/{new_id()}"), 404)


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_change_product(api: Api, catalog_seed: Seed, method: str) -> None:
    path = f"/products/{catalog_seed.mug_id}"
    etag = api.call("GET", path)["ETag"]
    body = (
        product_body(catalog_seed.category_id, "MUG-02", price="11.00")
        if method == "PUT"
        else {"sku": "MUG-02", "price": "11.00"}
    )
    response = api.call(method, path, body, {**API_KEY, "If-Match": etag})
    assert response.status_code == 200, response.content
    assert (response.json()["sku"], response.json()["price"]) == ("MUG-02", "11.00")
    assert response["ETag"] != etag
    assert_problem(api.call(method, path, body, {**API_KEY, "If-Match": etag}), 412)
    star = api.call(method, path, body, {**API_KEY, "If-Match": "*"})
    assert star.status_code == 200


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_change_product_errors(api: Api, catalog_seed: Seed, method: str) -> None:
    path = f"/products/{catalog_seed.mug_id}"
    headers = {**API_KEY, "If-Match": api.call("GET", path)["ETag"]}
    good = product_body(catalog_seed.category_id, "MUG-01")
    invalid = {**good, "stock": -1} if method == "PUT" else {"stock": -1}
    assert_problem(api.call(method, path, invalid, headers), 400)
    assert_problem(api.call(method, path, good, {"If-Match": headers["If-Match"]}), 401)
    assert_problem(api.call(method, f"/products/{new_id()}", good, headers), 404)
    assert_problem(api.call(method, path, {**good, "sku": "PLATE-01"}, headers), 409)
    assert_problem(api.call(method, path, raw="x", content_type=JSON_TEXT, headers=headers), 415)
    assert_problem(api.call(method, path, {**good, "category_id": new_id()}, headers), 422)
    assert_problem(api.call(method, path, good, API_KEY), 428)


def test_delete_product(api: Api, catalog_seed: Seed) -> None:
    path = f"/products/{catalog_seed.plate_id}"
    assert_problem(api.call("DELETE", path), 401)
    assert api.call("DELETE", path, headers=API_KEY).status_code == 204
    assert_problem(api.call("GET", path), 404)
    assert_problem(api.call("DELETE", path, headers=API_KEY), 404)


def test_delete_reserved_product_is_a_conflict(api: Api, catalog_seed: Seed) -> None:
    lines = [{"product_id": catalog_seed.mug_id, "quantity": 1}]
    reserved = api.call("POST", "/stock-reservations", {"reference": "o", "lines": lines}, API_KEY)
    assert reserved.status_code == 201
    answer = api.call("DELETE", f"/products/{catalog_seed.mug_id}", headers=API_KEY)
    assert_problem(answer, 409, "discontinued")


# -- stock ------------------------------------------------------------------------------------


def _stock(api: Api, product_id: str) -> int:
    return int(api.call("GET", f"/products/{product_id}").json()["stock"])


def test_reserve_and_release_stock(api: Api, catalog_seed: Seed) -> None:
    lines = [
        {"product_id": catalog_seed.mug_id, "quantity": 2},
        {"product_id": catalog_seed.plate_id, "quantity": 3},
        {"product_id": catalog_seed.mug_id, "quantity": 1},
    ]
    response = api.call(
        "POST", "/stock-reservations", {"reference": "o-1", "lines": lines}, API_KEY
    )
    assert response.status_code == 201, response.content
    reservation = response.json()
    assert response["Location"] == f"/stock-reservations/{reservation['id']}"
    assert reservation["status"] == "active" and reservation["released_at"] is None
    assert reservation["lines"] == lines
    assert (_stock(api, catalog_seed.mug_id), _stock(api, catalog_seed.plate_id)) == (2, 7)
    path = f"/stock-reservations/{reservation['id']}"
    assert api.call("GET", path, headers=API_KEY).json() == reservation
    released = api.call("POST", f"{path}/release", headers=API_KEY)
    assert released.status_code == 200
    assert released.json()["status"] == "released" and released.json()["released_at"]
    again = api.call("POST", f"{path}/release", headers=API_KEY)
    assert again.status_code == 200
    assert (_stock(api, catalog_seed.mug_id), _stock(api, catalog_seed.plate_id)) == (5, 10)


def test_reservation_is_all_or_nothing(api: Api, catalog_seed: Seed) -> None:
    lines = [
        {"product_id": catalog_seed.plate_id, "quantity": 3},
        {"product_id": catalog_seed.mug_id, "quantity": 6},
    ]
    response = api.call("POST", "/stock-reservations", {"reference": "o", "lines": lines}, API_KEY)
    assert_problem(response, 409, "Only 5 of MUG-01")
    assert (_stock(api, catalog_seed.mug_id), _stock(api, catalog_seed.plate_id)) == (5, 10)


def test_create_stock_reservation_errors(api: Api, catalog_seed: Seed) -> None:
    line = {"product_id": catalog_seed.mug_id, "quantity": 1}
    assert_problem(
        api.call("POST", "/stock-reservations", {"reference": "o", "lines": []}, API_KEY), 400
    )
    assert_problem(
        api.call("POST", "/stock-reservations", {"reference": "o", "lines": [line]}), 401
    )
    assert_problem(
        api.call("POST", "/stock-reservations", raw="x", content_type=JSON_TEXT, headers=API_KEY),
        415,
    )
    unknown = {"reference": "o", "lines": [{"product_id": new_id(), "quantity": 1}]}
    assert_problem(api.call("POST", "/stock-reservations", unknown, API_KEY), 422, "do not exist")
    draft = create_product(api, catalog_seed.category_id, "DRAFT-01", status="draft")
    inactive = {"reference": "o", "lines": [{"product_id": draft["id"], "quantity": 1}]}
    assert_problem(api.call("POST", "/stock-reservations", inactive, API_KEY), 422, "DRAFT-01")


def test_stock_reservation_reads_need_a_key(api: Api) -> None:
    path = f"/stock-reservations/{new_id()}"
    assert_problem(api.call("GET", path), 401)
    assert_problem(api.call("GET", path, headers=API_KEY), 404)
    assert_problem(api.call("POST", f"{path}/release"), 401)
    assert_problem(api.call("POST", f"{path}/release", headers=API_KEY), 404)


def test_members_the_spec_does_not_declare_are_refused_each_by_its_pointer(
    api: Api, catalog_seed: Seed
) -> None:
    body = product_body(
        catalog_seed.category_id,
        "LAMP-02",
        attributes=[{"name": "colour", "value": "red", "note": {"x": 1.5}}],
        dimensions={"weight_grams": 800.0, "depth_mm": 3, "colour": [0.25]},
        unknown={"deep": [1.25, {"a": 2.5}]},
    )
    problem = assert_problem(api.call("POST", "/products", body, API_KEY), 400)
    assert sorted(error["pointer"] for error in problem["errors"]) == [
        "/attributes/0/note",
        "/dimensions/colour",
        "/unknown",
    ]
    category = {"name": "Lamps", "slug": "lamps-extra", "id": str(catalog_seed.category_id)}
    assert api.call("POST", "/categories", category, API_KEY).status_code == 201  # readOnly


def test_undeclared_and_repeated_query_parameters_are_refused_by_name(api: Api) -> None:
    problem = assert_problem(api.call("GET", "/products?limit=1&limit=2&colour=red"), 400)
    assert [(e["parameter"], e["in"]) for e in problem["errors"]] == [
        ("limit", "query"),
        ("colour", "query"),
    ]


def test_nul_characters_are_refused_as_the_spec_says(api: Api) -> None:
    # PostgreSQL cannot store NUL in text; the specs exclude it from every free-text field.
    body = {"name": "a\u0000b", "slug": "nul"}
    assert_problem(api.call("POST", "/categories", body, API_KEY), 400)
    assert_problem(api.call("GET", "/products?q=a%00b"), 400)


@pytest.mark.parametrize(
    "query",
    [
        "offset=" + "9" * 5000,
        "limit=" + "1" * 4400,
        "limit=-" + "1" * 4400,
        "min_price=" + "1" * 5000,
    ],
    ids=["offset", "limit", "negative", "money"],
)
def test_integers_past_pythons_digit_limit_are_a_400(api: Api, query: str) -> None:
    """int() refuses more than 4,300 digits: such a query value was a 500."""
    assert_problem(api.call("GET", f"/products?{query}"), 400)
