"""The customers service's management commands, run as an operator would:
``manage.py`` of the service in a process of its own, on a running system's
database (``environment`` holds ``CUSTOMERS_DATABASE_URL`` and the rest)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Mapping

from tests.conftest import REPO_ROOT


def manage(environment: Mapping[str, str], *args: str, env: Mapping[str, str] | None = None) -> str:
    """``manage.py ARGS`` of the customers service; its output (fails the test on an error)."""
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "services" / "customers" / "manage.py"), *args],
        env={k: v for k, v in {**environment, **(env or {})}.items()
             if k != "DJANGO_SETTINGS_MODULE"},  # manage.py's own settings, not pytest's
        capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def create_admin(environment: Mapping[str, str]) -> tuple[str, str]:
    """A new admin client (``createadmin``): its id and secret."""
    client_id, secret = f"admin-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    manage(environment, "createadmin", client_id, "--secret-env", "SECRET", env={"SECRET": secret})
    return client_id, secret
