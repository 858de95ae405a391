"""DRF's generic classes with their type parameters, for annotations and bases.

djangorestframework-stubs makes ``serializers.Field`` generic in four parameters
and ``Serializer`` in one; at run time they are plain classes that cannot be
subscripted. The contract runtime's fields take and give any JSON value, so
``Any`` is the true parameter, written once here instead of a
``# type: ignore[type-arg]`` at every use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from rest_framework import serializers

if TYPE_CHECKING:
    Field: TypeAlias = serializers.Field[Any, Any, Any, Any]
    Serializer: TypeAlias = serializers.Serializer[Any]
else:
    Field = serializers.Field
    Serializer = serializers.Serializer

__all__ = ["Field", "Serializer"]
