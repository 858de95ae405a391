"""Fixtures shared by every test package.

Everything here targets 127.0.0.1 only. Tests that need PostgreSQL or Redis
use :func:`require_service`: they skip with a visible reason where the server
is absent, and fail instead when ``SPECFIRST_REQUIRE_SERVICES=1`` (as in CI).
"""

from __future__ import annotations

import os
import socket
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.issuer import Issuer

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """An ephemeral TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_service(name: str, port: int) -> None:
    """Skip (or fail under SPECFIRST_REQUIRE_SERVICES=1) when nothing listens
    on 127.0.0.1:``port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return
    except OSError as exc:
        reason = f"{name} is not reachable on 127.0.0.1:{port} ({exc})"
    if os.environ.get("SPECFIRST_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason}; SPECFIRST_REQUIRE_SERVICES=1 forbids skipping")
    pytest.skip(reason)


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a dedented inline spec into tmp_path and return its path."""

    def _write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def postgres_url() -> str:
    """Base URL of the local PostgreSQL server (trust auth, user postgres)."""
    require_service("PostgreSQL", 5432)
    return "postgres://postgres@127.0.0.1:5432"


@pytest.fixture
def redis_url() -> str:
    require_service("Redis", 6379)
    return "redis://127.0.0.1:6379/0"


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    """A JWKS on 127.0.0.1 with keys the test controls (:mod:`tests.support.issuer`)."""
    found = Issuer()
    yield found
    found.close()
