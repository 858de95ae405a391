"""servicekit.settings: environment -> Django settings, without any manage.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from servicekit import settings as kit

from codegen.core.strictness import DEFAULT_POLICY, QueryPolicy


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        (None, False, False),
        (None, True, True),
        ("", True, True),
        ("1", False, True),
        ("TRUE", False, True),
        ("yes", False, True),
        ("on", False, True),
        ("0", True, False),
        ("no", True, False),
    ],
)
def test_env_flag(
    monkeypatch: pytest.MonkeyPatch, value: str | None, default: bool, expected: bool
) -> None:
    if value is None:
        monkeypatch.delenv("SF_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("SF_TEST_FLAG", value)
    assert kit.env_flag("SF_TEST_FLAG", default) is expected


def test_env_list_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SF_TEST_LIST", " a, b,,c ")
    assert kit.env_list("SF_TEST_LIST", "x") == ["a", "b", "c"]
    monkeypatch.delenv("SF_TEST_LIST")
    assert kit.env_list("SF_TEST_LIST", "x,y") == ["x", "y"]


def test_sqlite_by_default_with_busy_timeout_and_immediate_transactions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SHOP_DATABASE_URL", raising=False)
    config = kit.database_settings("shop", tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "shop.sqlite3")
    assert (tmp_path / "var").is_dir()
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_from_database_url_keeps_connections(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SHOP_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop")
    config = kit.database_settings("shop", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "shop"
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True
    assert not (tmp_path / "var").exists()


def test_per_service_database_url_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/everyone")
    monkeypatch.setenv("SHOP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop_only")
    assert kit.database_settings("shop", tmp_path)["NAME"] == "shop_only"


def test_service_settings_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SPECFIRST_API_KEYS",
                 "SPECFIRST_TRUST_IDENTITY_HEADERS"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    values = kit.service_settings("shop", tmp_path)
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == kit.DEV_SECRET_KEY
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]
    assert values["INSTALLED_APPS"][-1] == "shop"
    assert values["ROOT_URLCONF"] == "shop_site.urls"
    assert values["SPECFIRST_SPECS"] == {"shop": kit.REPO_ROOT / "specs" / "shop.yaml"}
    assert values["SPECFIRST_API_KEYS"] == [kit.DEV_API_KEY]
    assert values["SPECFIRST_TRUST_IDENTITY_HEADERS"] is False  # plain headers: off by default
    assert values["REST_FRAMEWORK"]["EXCEPTION_HANDLER"] == "servicekit.problems.exception_handler"


def test_service_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "s3cret")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "shop.example, api.example")
    monkeypatch.setenv("SPECFIRST_SPEC_PATH", str(tmp_path / "other.yaml"))
    monkeypatch.setenv("SPECFIRST_TRUST_IDENTITY_HEADERS", "1")
    monkeypatch.setenv("SPECFIRST_IDENTITY_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----...")
    values = kit.service_settings("shop", tmp_path)
    assert values["DEBUG"] is True
    assert values["SECRET_KEY"] == "s3cret"
    assert values["ALLOWED_HOSTS"] == ["shop.example", "api.example"]
    assert values["SPECFIRST_SPECS"] == {"shop": tmp_path / "other.yaml"}
    assert values["SPECFIRST_TRUST_IDENTITY_HEADERS"] is True
    assert values["SPECFIRST_IDENTITY_PUBLIC_KEY"] == "-----BEGIN PUBLIC KEY-----..."


def test_a_service_reads_the_query_policy_of_the_project_holding_it(tmp_path: Path) -> None:
    service = tmp_path / "services" / "shop"
    service.mkdir(parents=True)
    assert kit.service_settings("shop", service)["SPECFIRST_QUERY_POLICY"] == DEFAULT_POLICY
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specfirst.validation]\nrepeated_query = "ignore"\n', encoding="utf-8"
    )
    policy = kit.service_settings("shop", service)["SPECFIRST_QUERY_POLICY"]
    assert policy == QueryPolicy(unknown_query="reject", repeated_query="ignore")
