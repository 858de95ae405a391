"""The project's configuration file and its specs folder, read the same way by every part.

The configuration is the ``[tool.specfirst]`` table of pyproject.toml, or all of
``specfirst.toml``, which wins when both exist. The gateway reads its services and
limits from it, ``specfirst generate`` the clients a service calls, ``specfirst new``
the ports already taken; they all go through :func:`read_specfirst_table`, so the
precedence and the error messages are the same everywhere.

The specs folder (``specs = "specs"`` by default) holds one spec per service, named after
its file stem: ``specs/orders.yaml`` is service ``orders``. Example::

    table, files = read_specfirst_table(Path("."))
    # ({"services": {...}, ...}, (Path("pyproject.toml"),))
    spec_files(specs_dir(Path("."), table))  # [Path("specs/catalog.yaml"), ...]
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from codegen.core.errors import UserError

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


class ConfigError(UserError):
    """The configuration file has a value that cannot be used."""


def read_specfirst_table(root: Path) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """The ``[tool.specfirst]`` table (or all of specfirst.toml, which wins) and its file."""
    candidates = [root / "specfirst.toml", root / "pyproject.toml"]
    for path in candidates:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
        if path.name == "specfirst.toml":
            return data, (path,)
        table = data.get("tool", {}).get("specfirst", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.specfirst] must be a table")
        return table, (path,)
    return {}, ()


def service_clients(name: str, entry: Mapping[str, Any], prefix: str = "") -> tuple[str, ...]:
    """``services.<name>.clients``: the services ``name`` calls, sorted, each once (the
    gateway routes their calls, ``generate`` writes their client models); raises
    :class:`ConfigError` (its message after ``prefix``) unless a list of service names.
    (``generate`` also needs them to be Python identifiers: it names modules after them.)

    ``service_clients("orders", {"clients": ["stock", "shop", "stock"]})`` -> ``("shop", "stock")``.
    """
    clients = entry.get("clients", [])
    where = f"{prefix}services.{name}.clients"
    if not isinstance(clients, list) or not all(isinstance(c, str) and c for c in clients):
        raise ConfigError(f"{where} must be a list of service names, got {clients!r}")
    return tuple(sorted(set(clients)))


SPECS_OPTION_HELP = (
    "Specs folder. Default: the 'specs' setting in [tool.specfirst] "
    "(pyproject.toml or specfirst.toml); without one, specs/ under the project root."
)
"""The ``--specs`` help of every command, saying :func:`specs_dir`'s rule."""


def specs_dir(root: Path, table: Mapping[str, Any], override: Path | str | None = None) -> Path:
    """The specs folder: ``override`` (``--specs``), else the table's ``specs``, else ``specs/``."""
    if override is not None:
        return Path(override)
    return root / str(table.get("specs", "specs"))


def spec_files(folder: Path) -> list[Path]:
    """The service specs directly inside ``folder`` (fragments live in sub-folders), sorted."""
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir() if path.suffix in SPEC_SUFFIXES and path.is_file()
    )


def service_spec(folder: Path, name: str) -> Path | None:
    """The spec of service ``name`` in ``folder`` (``orders.yaml``, ``.yml`` or ``.json``)."""
    for suffix in SPEC_SUFFIXES:
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None
