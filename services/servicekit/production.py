"""Production mode of the service settings (``SPECFIRST_PRODUCTION=1``).

Development defaults are convenient and unsafe; production mode refuses
them instead of running with them:

* ``DJANGO_SECRET_KEY`` must be set (and not the development key);
* ``DJANGO_ALLOWED_HOSTS`` must be set explicitly;
* ``DJANGO_DEBUG`` must not be on;
* a database URL (``<NAME>_DATABASE_URL`` or ``DATABASE_URL``) must be set:
  no silent SQLite file (PostgreSQL gets persistent, health-checked
  connections from :func:`servicekit.settings.database_settings`);
* ``SPECFIRST_IDENTITY_PUBLIC_KEY`` must be the deployment's own key (the
  development key pair is public, so anyone could sign identities with it),
  and ``SPECFIRST_TRUST_IDENTITY_HEADERS`` must be off: plain identity headers
  are never trusted in production.

It also switches logging to JSON lines carrying the request id (see
:mod:`servicekit.requestlog`).

Example: ``production_problems("orders", {"DJANGO_DEBUG": "1"})`` →
``["DJANGO_SECRET_KEY is not set", "DJANGO_ALLOWED_HOSTS is not set",
"DJANGO_DEBUG is on", "no database URL: set ORDERS_DATABASE_URL or DATABASE_URL",
"SPECFIRST_IDENTITY_PUBLIC_KEY is not set"]``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from codegen.core.auth.defaults import DEV_IDENTITY_PUBLIC_KEY

PRODUCTION_FLAG = "SPECFIRST_PRODUCTION"
REQUEST_ID_MIDDLEWARE = "servicekit.requestlog.RequestIdMiddleware"
# How an environment variable says "on" (servicekit.settings.env_flag reads it so too).
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})


class ProductionSettingsError(RuntimeError):
    """Production mode is on and the environment is not fit for production."""


def production_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    return is_on(environ, PRODUCTION_FLAG)


def is_on(environ: Mapping[str, str], name: str) -> bool:
    """Whether ``name`` is set to one of :data:`TRUE_VALUES` (any case, spaces ignored)."""
    return environ.get(name, "").strip().lower() in TRUE_VALUES


def production_problems(
    name: str, environ: Mapping[str, str], dev_secret_key: str = ""
) -> list[str]:
    """Every reason the environment is unfit for production (empty when fit)."""
    problems = []
    secret = environ.get("DJANGO_SECRET_KEY", "").strip()
    if not secret:
        problems.append("DJANGO_SECRET_KEY is not set")
    elif secret == dev_secret_key:
        problems.append("DJANGO_SECRET_KEY is the development key")
    if not environ.get("DJANGO_ALLOWED_HOSTS", "").strip():
        problems.append("DJANGO_ALLOWED_HOSTS is not set")
    if is_on(environ, "DJANGO_DEBUG"):
        problems.append("DJANGO_DEBUG is on")
    if not (environ.get(f"{name.upper()}_DATABASE_URL") or environ.get("DATABASE_URL")):
        problems.append(f"no database URL: set {name.upper()}_DATABASE_URL or DATABASE_URL")
    identity_key = environ.get("SPECFIRST_IDENTITY_PUBLIC_KEY", "").strip()
    if not identity_key:
        problems.append("SPECFIRST_IDENTITY_PUBLIC_KEY is not set")
    elif identity_key == DEV_IDENTITY_PUBLIC_KEY.strip():
        problems.append("SPECFIRST_IDENTITY_PUBLIC_KEY is the development key")
    if is_on(environ, "SPECFIRST_TRUST_IDENTITY_HEADERS"):
        problems.append("SPECFIRST_TRUST_IDENTITY_HEADERS is on")
    return problems


def check_production(name: str, environ: Mapping[str, str], dev_secret_key: str) -> None:
    """Raise :class:`ProductionSettingsError` listing every problem at once."""
    problems = production_problems(name, environ, dev_secret_key)
    if problems:
        raise ProductionSettingsError(
            f"{PRODUCTION_FLAG}=1 but the {name} service is not configured for production: "
            + "; ".join(problems)
        )


def json_logging(level: str) -> dict[str, Any]:
    """The LOGGING setting: JSON lines on stderr, each with the request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "servicekit.requestlog.RequestIdFilter"}},
        "formatters": {"json": {"()": "servicekit.requestlog.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
