"""Names the OpenAPI specification fixes, spelled once for every layer.

A Path Item's operations live under eight fixed keys (:data:`HTTP_METHODS`, in the
specification's order, which is also the order listings and generated code use). A
schema travels one of two ways (:data:`Direction`): in a **request** its ``readOnly``
properties are not sent, in a **response** its ``writeOnly`` ones are not
(:data:`UNSENT`); lint, diff, drift, the mock, contract seeding and the SDK all decide
which properties exist with these names.

``[m for m in HTTP_METHODS if m in {"post": ..., "get": ...}]`` -> ``["get", "post"]``;
``UNSENT[REQUEST]`` -> ``"readOnly"``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final, Literal

HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

Direction = Literal["request", "response"]
REQUEST: Final = "request"
RESPONSE: Final = "response"
# The property keyword whose ``true`` leaves a property out of that direction.
UNSENT: Final[Mapping[Direction, str]] = {REQUEST: "readOnly", RESPONSE: "writeOnly"}


def response_key(code: int, declared: Collection[str]) -> str | None:
    """The declared response that describes a ``code``: the exact code, else its
    range, else ``default`` (OpenAPI's Responses Object), else None.

    ``response_key(404, ["200", "4XX", "default"])`` -> ``"4XX"``.
    """
    for key in (str(code), f"{str(code)[0]}XX", "default"):
        if key in declared:
            return key
    return None
