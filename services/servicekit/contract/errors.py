"""Collecting validation errors by path, in DRF's nested ``detail`` shape.

The contract runtime reports *every* invalid field, not the first. An
:class:`ErrorTree` gathers messages at paths (``("lines", 0, "quantity")``)
and turns them into the nested structure DRF's ``ValidationError`` carries,
which :func:`servicekit.problems.errors_from_drf` flattens into JSON pointers.
Messages about a value itself (not one of its members) sit under DRF's
``non_field_errors`` key.

``tree.add(("lines", 0), "Too short.")`` then ``tree.detail()`` ->
``{"lines": {0: {"non_field_errors": ["Too short."]}}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.settings import api_settings

Path = tuple[str | int, ...]


class ContractError(Exception):
    """The *server* broke the contract (undeclared status, invalid response).

    Raised loudly in DEBUG and tests; in production the view answers a 500
    problem and logs it.
    """


class ErrorTree:
    def __init__(self) -> None:
        self._root: dict[Any, Any] = {}

    def __bool__(self) -> bool:
        return bool(self._root)

    def add(self, path: Path, message: str) -> None:
        node = self._root
        for key in path:
            node = node.setdefault(key, {})
        node.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).append(ErrorDetail(message))

    def merge(self, detail: Any, path: Path = ()) -> None:
        """Add a DRF ``ValidationError.detail`` (str, list or dict) at ``path``."""
        if isinstance(detail, Mapping):
            for key, value in detail.items():
                sub = path if key == api_settings.NON_FIELD_ERRORS_KEY else (*path, key)
                self.merge(value, sub)
        elif isinstance(detail, list):
            if all(isinstance(item, str) for item in detail):
                for item in detail:
                    self.add(path, str(item))
            else:
                for index, item in enumerate(detail):
                    if item:
                        self.merge(item, (*path, index))
        elif detail is not None:
            self.add(path, str(detail))

    def count(self) -> int:
        def walk(node: Any) -> int:
            if isinstance(node, dict):
                return sum(walk(v) for v in node.values())
            return len(node)

        return walk(self._root)

    def detail(self) -> dict[Any, Any]:
        return self._root

    def raise_if_any(self) -> None:
        if self._root:
            raise ValidationError(self._root)
