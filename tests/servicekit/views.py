"""Hand-written handlers for the contract test API (what a service author writes).

``implementations(package)`` subclasses the generated stubs the way
``api/views.py`` does; each handler echoes what it received, so tests see
exactly what validation produced.
"""

from __future__ import annotations

import types
from typing import Any

from rest_framework.request import Request
from servicekit.contract import Reply
from servicekit.contract.records import plain


def implementations(package: types.ModuleType) -> dict[str, type]:
    stubs = package.stubs

    class Orders(stubs.OrdersViewSet):  # type: ignore[name-defined,misc]
        def list_orders(self, request: Request, **params: Any) -> Reply:
            lines = [{"sku": "AB-1", "quantity": 1}]
            order = {"id": 7, "customer": "a@b.co", "lines": lines, "secret": "s"}
            return Reply(200, [order], headers={"X-Params": repr(sorted(params.items()))})

        def create_order(self, request: Request, *, body: Any) -> Reply:
            body = plain(body)  # echoed as the JSON-shaped members it was built from
            order = {"lines": [], **body, "id": 1}
            return Reply(201, order, headers={"X-Body": repr(sorted(body.items()))})

        def get_order(self, request: Request, *, order_id: int) -> Reply:
            if order_id == 99:
                return Reply(418, None)  # not declared: a contract error
            if order_id == 96:
                return Reply(200, {"customer": "x@y.z", "lines": []})  # lacks readOnly id
            if order_id == 98:
                return Reply(200, {"id": 98})  # lacks required properties
            return Reply(200, {"id": order_id, "customer": "x@y.z", "lines": []})

        def delete_order(self, request: Request, *, order_id: int) -> Reply:
            if order_id == 97:
                return Reply(204)  # lacks the required X-Deleted header
            return Reply(204, headers={"X-Deleted": str(order_id)})

    class Shapes(stubs.ShapesViewSet):  # type: ignore[name-defined,misc]
        def create_shape(self, request: Request, *, body: Any) -> Reply:
            return Reply(200, plain(body))

    class Misc(stubs.MiscViewSet):  # type: ignore[name-defined,misc]
        def put_values(self, request: Request, *, body: Any) -> Reply:
            return Reply(200, {"body": plain(body), "type": type(body).__name__})

        def plant_tree(self, request: Request, *, kind: str, body: dict[str, Any]) -> Reply:
            photo = body.get("photo")
            if photo is not None and hasattr(photo, "read"):
                body = {**body, "photo": photo.read().decode()}
            return Reply(200, {"kind": kind, "body": body})

        def post_form(self, request: Request, *, body: Any) -> Reply:
            return Reply(200, plain(body))

        def post_map(self, request: Request, *, body: Any) -> Reply:
            return Reply(200, plain(body))

    return {"Orders": Orders, "Shapes": Shapes, "Misc": Misc}
