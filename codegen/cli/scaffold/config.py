"""Register a new service with the gateway: an upstream entry in the project's configuration.

The gateway finds every spec in ``specs/`` by itself; what it cannot guess is
where the service listens. :func:`register_upstream` appends::

    [tool.specfirst.services.inventory]
    upstream = "http://127.0.0.1:8004"

to pyproject.toml (or the same table without ``tool.specfirst`` to
``specfirst.toml`` when the project uses one), on the port after the highest
configured loopback upstream, which is also the port ``specfirst up`` gives it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from gateway.config import load_config

FIRST_SERVICE_PORT = 8001
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def loopback_port(upstream: str | None) -> int | None:
    """``"http://127.0.0.1:8003"`` -> 8003; a remote host, no port or no URL -> None."""
    parts = urlsplit(upstream or "")
    return parts.port if parts.hostname in LOOPBACK else None


def next_port(root: Path) -> int:
    """One past the highest loopback port configured for any service (8001 when none)."""
    config = load_config(root)
    ports = [loopback_port(service.upstream) or 0 for service in config.services.values()]
    return max([FIRST_SERVICE_PORT - 1, *ports]) + 1


def config_file(root: Path) -> tuple[Path, str]:
    """(the file to append to, the table prefix it uses)."""
    standalone = root / "specfirst.toml"
    if standalone.is_file():
        return standalone, ""
    return root / "pyproject.toml", "tool.specfirst."


def register_upstream(root: Path, name: str, port: int) -> Path:
    """Append the service's upstream table; the file written."""
    path, prefix = config_file(root)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += (
        f"\n[{prefix}services.{name}]\n"
        f"# Added by `specfirst new {name}`: where the gateway finds the service.\n"
        f'upstream = "http://127.0.0.1:{port}"\n'
    )
    path.write_text(text, encoding="utf-8")
    return path
