"""The catalog's operations: hand-written subclasses of the generated stubs.

Handlers only translate between HTTP and :mod:`catalog.domain`: parameters
in, domain call, representation and headers out. Security, validation and
domain-error mapping happen in :class:`servicekit.handlers.ServiceHandlers`
and the contract runtime.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from rest_framework.request import Request
from servicekit.conditional import require_if_match
from servicekit.contract import Reply
from servicekit.handlers import ServiceHandlers
from servicekit.pagination import page

from catalog import domain, queries
from catalog.api._generated import bodies, stubs
from catalog.representations import (
    category_json,
    etag,
    product_json,
    product_validators,
    reservation_json,
)


class CategoriesViewSet(ServiceHandlers, stubs.CategoriesViewSet):
    def list_categories(
        self,
        request: Request,
        *,
        limit: int,
        offset: int,
        parent_id: uuid.UUID | None,
        q: str | None,
        sort: str,
    ) -> stubs.ListCategoriesReply:
        found = queries.categories(parent_id=parent_id, q=q, sort=sort)
        return Reply(200, page(found, limit, offset, category_json))

    def create_category(
        self, request: Request, *, body: bodies.Category
    ) -> stubs.CreateCategoryReply:
        category = domain.create_category(body)
        return Reply(
            201,
            category_json(category),
            headers={"Location": f"/categories/{category.pk}", "ETag": etag(category)},
        )

    def get_category(self, request: Request, *, category_id: uuid.UUID) -> stubs.GetCategoryReply:
        category = domain.get_category(category_id)
        return Reply(200, category_json(category), headers={"ETag": etag(category)})

    def update_category(
        self, request: Request, *, category_id: uuid.UUID, if_match: str, body: bodies.CategoryPatch
    ) -> stubs.UpdateCategoryReply:
        category = domain.get_category(category_id)
        require_if_match(request, etag(category))
        category = domain.update_category(category, body)
        return Reply(200, category_json(category), headers={"ETag": etag(category)})

    def delete_category(
        self, request: Request, *, category_id: uuid.UUID
    ) -> stubs.DeleteCategoryReply:
        domain.delete_category(category_id)
        return Reply(204)


class ProductsViewSet(ServiceHandlers, stubs.ProductsViewSet):
    def list_products(
        self,
        request: Request,
        *,
        limit: int,
        offset: int,
        category_id: uuid.UUID | None,
        status: str | None,
        min_price: Decimal | None,
        max_price: Decimal | None,
        in_stock: bool | None,
        q: str | None,
        sort: str,
    ) -> stubs.ListProductsReply:
        found = queries.products(
            category_id=category_id,
            status=status,
            min_price=min_price,
            max_price=max_price,
            in_stock=in_stock,
            q=q,
            sort=sort,
        )
        return Reply(200, page(found, limit, offset, product_json))

    def create_product(self, request: Request, *, body: bodies.Product) -> stubs.CreateProductReply:
        product = domain.create_product(body)
        return Reply(
            201,
            product_json(product),
            headers={"Location": f"/products/{product.pk}", "ETag": etag(product)},
        )

    def get_product(self, request: Request, *, product_id: uuid.UUID) -> stubs.GetProductReply:
        product = domain.get_product(product_id)
        return Reply(200, product_json(product), headers=product_validators(product))

    def replace_product(
        self, request: Request, *, product_id: uuid.UUID, if_match: str, body: bodies.Product
    ) -> stubs.ReplaceProductReply:
        product = domain.get_product(product_id)
        require_if_match(request, etag(product))
        product = domain.replace_product(product, body)
        return Reply(200, product_json(product), headers={"ETag": etag(product)})

    def update_product(
        self, request: Request, *, product_id: uuid.UUID, if_match: str, body: bodies.ProductPatch
    ) -> stubs.UpdateProductReply:
        product = domain.get_product(product_id)
        require_if_match(request, etag(product))
        product = domain.update_product(product, body)
        return Reply(200, product_json(product), headers={"ETag": etag(product)})

    def delete_product(
        self, request: Request, *, product_id: uuid.UUID
    ) -> stubs.DeleteProductReply:
        domain.delete_product(product_id)
        return Reply(204)


class StockViewSet(ServiceHandlers, stubs.StockViewSet):
    def create_stock_reservation(
        self, request: Request, *, body: bodies.StockReservation
    ) -> stubs.CreateStockReservationReply:
        reservation = domain.reserve_stock(body.reference, body.lines)
        reservation = domain.get_reservation(reservation.pk)
        return Reply(
            201,
            reservation_json(reservation),
            headers={"Location": f"/stock-reservations/{reservation.pk}"},
        )

    def get_stock_reservation(
        self, request: Request, *, reservation_id: uuid.UUID
    ) -> stubs.GetStockReservationReply:
        reservation = domain.get_reservation(reservation_id)
        return Reply(200, reservation_json(reservation))

    def release_stock_reservation(
        self, request: Request, *, reservation_id: uuid.UUID
    ) -> stubs.ReleaseStockReservationReply:
        reservation = domain.release_reservation(reservation_id)
        return Reply(200, reservation_json(reservation))
