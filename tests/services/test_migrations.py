"""The committed migrations match the models of every service."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
@pytest.mark.parametrize("app", ["catalog", "customers", "orders"])
def test_migrations_are_committed_and_current(app: str) -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", app, "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"models of {app} changed without a migration:\n{out.getvalue()} ({exc})")
    assert "No changes detected" in out.getvalue()
