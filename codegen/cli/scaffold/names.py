"""The names a new service is built from, checked once.

``service_names("stock_levels")`` -> ``ServiceNames(name="stock_levels",
camel="StockLevels", title="Stock Levels", slug="stock-levels")``: the Django
app and settings package use ``name``, schema and class names ``camel``, the
URL paths ``/<slug>/...`` (so the new service's paths never collide with
another service's at the gateway).
"""

from __future__ import annotations

import importlib.util
import keyword
import re
from dataclasses import dataclass
from pathlib import Path

from codegen.core.errors import UserError

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_LENGTH = 40


@dataclass(frozen=True, slots=True)
class ServiceNames:
    name: str
    camel: str
    title: str
    slug: str


def check_syntax(name: str) -> None:
    """A UserError unless ``name`` can name a Python package and a Django app."""
    if not NAME_RE.match(name) or name.endswith("_") or "__" in name:
        raise UserError(
            f"{name!r} is not a valid service name: use lower-case letters, digits and single"
            " underscores, starting with a letter (it becomes a Python package), e.g. 'inventory'"
        )
    if len(name) > MAX_LENGTH:
        raise UserError(f"service name {name!r} is longer than {MAX_LENGTH} characters")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise UserError(f"{name!r} is a Python keyword; choose another service name")
    if name.endswith("_site"):
        raise UserError(f"{name!r} ends with '_site', which is the suffix of settings packages")


def service_names(name: str) -> ServiceNames:
    """Check ``name`` as a service name; the derived names, or a UserError saying why not."""
    check_syntax(name)
    if importlib.util.find_spec(name) is not None:
        raise UserError(
            f"{name!r} is already an importable Python module; a service of that name would"
            " shadow it (or be shadowed): choose another name"
        )
    words = name.split("_")
    return ServiceNames(
        name=name,
        camel="".join(word.capitalize() for word in words),
        title=" ".join(word.capitalize() for word in words),
        slug="-".join(words),
    )


def refuse_existing(name: str, root: Path) -> None:
    """A UserError when service ``name`` (checked by :func:`check_syntax`) already exists."""
    taken = [
        path
        for path in (
            root / "services" / name,
            *(root / "specs" / f"{name}{suffix}" for suffix in (".yaml", ".yml", ".json")),
        )
        if path.exists()
    ]
    if taken:
        listed = ", ".join(str(path.relative_to(root)) for path in taken)
        raise UserError(f"service {name!r} already exists ({listed})")
