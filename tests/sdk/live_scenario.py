"""The SDK scenario of issue 6, run by the *installed* client package.

Executed with the throwaway virtual environment's interpreter:
``python live_scenario.py PACKAGE GATEWAY_URL``; credentials come from the
environment (``SDK_API_KEY``, ``SDK_JWT_SECRET``, ``SDK_JWT_ISSUER``,
``SDK_JWT_AUDIENCE``). Prints one line per step;
any failure exits non-zero with a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
import uuid
from typing import Any

import jwt


def token(subject: str, scopes: str = "") -> str:
    now = int(time.time())
    claims = {
        "sub": subject,
        "scope": scopes,
        "iss": os.environ["SDK_JWT_ISSUER"],
        "aud": os.environ["SDK_JWT_AUDIENCE"],
        "iat": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, os.environ["SDK_JWT_SECRET"], algorithm="HS256")


def main(package: str, url: str) -> None:
    sdk: Any = importlib.import_module(package)
    models = sdk.models
    assert "site-packages" in (sdk.__file__ or ""), sdk.__file__  # the installed copy
    run = uuid.uuid4().hex[:6]
    admin = sdk.Client(
        url, api_key=os.environ["SDK_API_KEY"], bearer_token=token("sdk-admin", "admin")
    )

    category = admin.create_category(
        body=models.CategoryRequest(name=f"Kitchen {run}", slug=f"kitchen-{run}")
    )
    print(f"created category {category.slug} ({type(category).__name__})")
    products = [
        admin.create_product(
            body=models.ProductRequest(
                sku=f"SDK-{run.upper()}-{index}",
                name=f"Mug {index}",
                category_id=category.id,
                price=f"{index + 1}.50",
                currency="EUR",
                status="active",
                stock=10,
            )
        )
        for index in range(5)
    ]
    print(f"created {len(products)} products: {', '.join(p.sku for p in products)}")

    customer = admin.create_customer(
        body=models.CustomerRequest(
            email=f"ada-{run}@example.com", name="Ada", password="correct horse battery"
        )
    )
    assert not hasattr(customer, "password")  # writeOnly: absent from the response model
    print(f"registered customer {customer.email} ({type(customer).__name__})")

    shopper = sdk.Client(url, bearer_token=token(str(customer.id)))
    order = shopper.place_order(
        body=models.OrderRequest.model_validate(
            {
                "customer_id": str(customer.id),
                "lines": [{"product_id": str(products[0].id), "quantity": 2}],
                "shipping_address": {
                    "line1": "1 Main St",
                    "city": "London",
                    "postal_code": "SW1A 1AA",
                    "country": "GB",
                },
                "payment": {"method": "voucher", "code": "GIFT-2024"},
            }
        )
    )
    again = shopper.get_order(order.id)
    assert again == order, (again, order)
    print(f"placed and read order {order.id}: status {order.status}, total {order.total}")

    pages = list(admin.iter_list_products_pages(category_id=category.id, limit=2))
    paged = [p.sku for page in pages for p in page.items]
    assert sorted(paged) == sorted(p.sku for p in products), paged
    items = [p.sku for p in admin.iter_list_products(category_id=category.id, limit=2)]
    assert items == paged
    print(f"paged through {len(paged)} products in {len(pages)} pages of 2")

    try:
        admin.get_product(uuid.uuid4())
    except sdk.NotFoundError as error:
        detail = error.problem.detail if error.problem else None
        print(f"caught {type(error).__name__}: status {error.status_code}, detail {detail!r}")
    else:
        raise AssertionError("get_product of an unknown id did not raise NotFoundError")

    try:
        admin.create_product(
            body=models.ProductRequest(
                sku=f"SDK-{run.upper()}-X",
                name="Orphan",
                category_id=uuid.uuid4(),  # no such category
                price="1.00",
                currency="EUR",
                status="active",
                stock=1,
            )
        )
    except sdk.ValidationError as error:
        print(
            f"caught {type(error).__name__} (a ValidationError): status {error.status_code}, "
            f"detail {error.detail!r}"
        )
    else:
        raise AssertionError("a product in an unknown category did not raise ValidationError")
    print("SDK scenario passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
