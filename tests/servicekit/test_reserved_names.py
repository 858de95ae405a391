"""The generator's reserved names cover every public attribute of the classes
generated code subclasses: an operation named ``settings`` (``POST
/accounts/settings``) once became a ViewSet method that hid DRF's
``APIView.settings``, and every request to that ViewSet answered 500."""

from __future__ import annotations

from servicekit.contract.serializers import ContractSerializer
from servicekit.contract.views import ContractViewSet

from codegen.core.ir.names import SERIALIZER_RESERVED, VIEWSET_RESERVED

# set on the view instance by ViewSetMixin.as_view(**initkwargs) and dispatch()
VIEW_INSTANCE_ATTRIBUTES = frozenset(
    {"action", "action_map", "args", "basename", "description", "detail", "format_kwarg",
     "headers", "kwargs", "name", "request", "response", "suffix"}
)  # fmt: skip


def public(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def test_viewset_reserved_names_cover_contract_viewset() -> None:
    assert public(ContractViewSet) | VIEW_INSTANCE_ATTRIBUTES <= VIEWSET_RESERVED


def test_serializer_reserved_names_cover_contract_serializer() -> None:
    assert public(ContractSerializer) <= SERIALIZER_RESERVED
