"""Service names: what ``specfirst new`` accepts, derives and refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.cli.scaffold.names import ServiceNames, refuse_existing, service_names
from codegen.core.errors import UserError


def test_derived_names() -> None:
    assert service_names("stock_levels") == ServiceNames(
        name="stock_levels", camel="StockLevels", title="Stock Levels", slug="stock-levels"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Inventory", "is not a valid service name"),
        ("stock-levels", "is not a valid service name"),
        ("9lives", "is not a valid service name"),
        ("a__b", "is not a valid service name"),
        ("trailing_", "is not a valid service name"),
        ("", "is not a valid service name"),
        ("class", "is a Python keyword"),
        ("match", "is a Python keyword"),
        ("shop_site", "suffix of settings packages"),
        ("json", "already an importable Python module"),
        ("gateway", "already an importable Python module"),
        ("x" * 41, "longer than 40 characters"),
    ],
)
def test_bad_names_are_refused(name: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        service_names(name)


def test_existing_service_or_spec_is_refused(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "inventory.json").write_text("{}")
    with pytest.raises(
        UserError, match=r"service 'inventory' already exists \(specs/inventory.json\)"
    ):
        refuse_existing("inventory", tmp_path)
    (tmp_path / "specs" / "inventory.json").unlink()
    (tmp_path / "services" / "inventory").mkdir(parents=True)
    with pytest.raises(UserError, match=r"already exists \(services/inventory\)"):
        refuse_existing("inventory", tmp_path)
    refuse_existing("billing", tmp_path)
