"""Base Django settings shared by every specfirst service.

Each service's settings module stays a few lines long::

    from servicekit.settings import service_settings

    globals().update(service_settings("orders", BASE_DIR))

Everything comes from the environment with safe development defaults:

========================================  ==============================================
``<NAME>_DATABASE_URL`` / ``DATABASE_URL``  database URL (per-service name wins); default:
                                          SQLite file ``services/<name>/var/<name>.sqlite3``
``DJANGO_DEBUG``                           ``1``/``true`` turns DEBUG on (default off)
``DJANGO_SECRET_KEY``                      secret key (a fixed, insecure dev default)
``DJANGO_ALLOWED_HOSTS``                   comma-separated (default: loopback names)
``SPECFIRST_SPEC_PATH``                    the source spec served at ``/openapi.json``
                                          (default ``specs/<name>.yaml`` at the repo root)
``SPECFIRST_JWT_SECRET``                   HS256 secret for bearer tokens
``SPECFIRST_JWT_ISSUER`` / ``_AUDIENCE``     required ``iss`` / ``aud`` of bearer tokens
                                          (default ``specfirst`` / ``specfirst-api``)
``SPECFIRST_JWKS_URL``                     the login's JWKS: RS256 bearer tokens verify
                                          with its keys (default: none, HS256 only)
``SPECFIRST_JWKS_MIN_REFRESH``             seconds between its fetches for an unknown
                                          ``kid`` (default 10)
``SPECFIRST_API_KEYS``                     comma-separated API keys accepted directly
``SPECFIRST_IDENTITY_PUBLIC_KEY``          PEM of the gateway's Ed25519 identity key
                                          (default: the public development key)
``SPECFIRST_TRUST_IDENTITY_HEADERS``       ``1`` trusts plain X-Specfirst-Subject headers
                                          (development only; default off)
``SPECFIRST_PRODUCTION``                   ``1``: refuse development defaults, JSON logs
                                          with request ids (see servicekit.production)
========================================  ==============================================

Undeclared and repeated query parameters are refused or ignored as the project's
``[tool.specfirst.validation]`` says (:mod:`codegen.core.strictness`); the project is the
one whose ``services/`` folder holds the service (``base_dir``'s grandparent).

SQLite gets a busy timeout and ``BEGIN IMMEDIATE`` transactions so that
concurrent writers queue instead of failing with "database is locked";
PostgreSQL gets persistent, health-checked connections.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

from codegen.core.auth.defaults import (
    DEV_API_KEY,
    DEV_IDENTITY_PUBLIC_KEY,
    DEV_JWT_AUDIENCE,
    DEV_JWT_ISSUER,
    DEV_JWT_SECRET,
)
from codegen.core.limits import DEFAULT_LIMITS
from codegen.core.strictness import validation_policy
from servicekit import production

REPO_ROOT = Path(__file__).resolve().parents[2]

DEV_SECRET_KEY = "specfirst-insecure-development-key-do-not-use-in-production"
DEFAULT_ALLOWED_HOSTS = "127.0.0.1,localhost,[::1],testserver"


def env_flag(name: str, default: bool) -> bool:
    """``env_flag("DJANGO_DEBUG", False)``: True for ``1``/``true``/``yes``/``on``."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return production.is_on(os.environ, name)


def env_list(name: str, default: str) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_settings(name: str, base_dir: Path) -> dict[str, Any]:
    """The ``default`` database of service ``name``.

    ``ORDERS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/orders`` ->
    a PostgreSQL config with ``CONN_MAX_AGE=600``; nothing set -> SQLite at
    ``<base_dir>/var/orders.sqlite3`` with ``BEGIN IMMEDIATE`` transactions.
    """
    url = os.environ.get(f"{name.upper()}_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        var_dir = base_dir / "var"
        var_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{var_dir / f'{name}.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
        }
    else:
        config["CONN_MAX_AGE"] = 600
        config["CONN_HEALTH_CHECKS"] = True
    return config


def rest_framework_settings() -> dict[str, Any]:
    """DRF defaults: JSON only, problem+json errors, identity from the gateway or the token."""
    return {
        "EXCEPTION_HANDLER": "servicekit.problems.exception_handler",
        "DEFAULT_AUTHENTICATION_CLASSES": ["servicekit.auth.SpecIdentityAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["servicekit.security.OperationSecurity"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "DEFAULT_SCHEMA_CLASS": "servicekit.schema.SpecAutoSchema",
        "UNAUTHENTICATED_USER": None,
        "UNAUTHENTICATED_TOKEN": None,
        # ``?format=`` and a ``{format}`` kwarg are the spec's parameters, not
        # DRF's renderer switch (which answers 404 for an unknown renderer).
        "URL_FORMAT_OVERRIDE": None,
    }


def service_settings(name: str, base_dir: Path, *, apps: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every Django setting of service ``name`` whose project lives in ``base_dir``.

    ``service_settings("catalog", Path("services/catalog"))`` installs the
    ``catalog`` app (plus ``apps``), routes ``catalog_site.urls`` and reads
    the spec ``specs/catalog.yaml``.
    """
    debug = env_flag("DJANGO_DEBUG", False)
    settings: dict[str, Any] = {
        "BASE_DIR": base_dir,
        "DEBUG": debug,
        "SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY),
        "ALLOWED_HOSTS": env_list("DJANGO_ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS),
        "INSTALLED_APPS": [
            "rest_framework",
            "drf_spectacular",
            "servicekit",
            name,
            *apps,
        ],
        "MIDDLEWARE": [
            production.REQUEST_ID_MIDDLEWARE,  # request id and path for problems, first
            "servicekit.conditional.ConditionalGetMiddleware",  # 304s, outside CommonMiddleware
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",  # sets Content-Length
            "servicekit.contract.canonical.CanonicalPathMiddleware",
        ],
        "APPEND_SLASH": False,
        # The body limit every door shares (a larger body answers 413 problem+json).
        "DATA_UPLOAD_MAX_MEMORY_SIZE": DEFAULT_LIMITS.body_limit,
        "ROOT_URLCONF": f"{name}_site.urls",
        "WSGI_APPLICATION": f"{name}_site.wsgi.application",
        "DATABASES": {"default": database_settings(name, base_dir)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "LANGUAGE_CODE": "en-us",
        "USE_I18N": False,
        "REST_FRAMEWORK": rest_framework_settings(),
        "SPECTACULAR_SETTINGS": {
            "TITLE": f"{name} (derived from code)",
            "VERSION": "1.0.0",
            "OAS_VERSION": "3.1.0",
            "SERVE_INCLUDE_SCHEMA": False,
            "COMPONENT_SPLIT_REQUEST": True,
        },
        "SPECFIRST_SERVICE_NAME": name,
        # [tool.specfirst.validation] of the project whose services/ folder holds it.
        "SPECFIRST_QUERY_POLICY": validation_policy(base_dir.parents[1]),
        "SPECFIRST_SPECS": {
            name: Path(os.environ.get("SPECFIRST_SPEC_PATH", REPO_ROOT / "specs" / f"{name}.yaml"))
        },
        "SPECFIRST_JWT_SECRET": os.environ.get("SPECFIRST_JWT_SECRET", DEV_JWT_SECRET),
        "SPECFIRST_JWT_AUDIENCE": os.environ.get("SPECFIRST_JWT_AUDIENCE") or DEV_JWT_AUDIENCE,
        "SPECFIRST_JWT_ISSUER": os.environ.get("SPECFIRST_JWT_ISSUER") or DEV_JWT_ISSUER,
        "SPECFIRST_JWKS_URL": os.environ.get("SPECFIRST_JWKS_URL") or None,
        "SPECFIRST_JWKS_MIN_REFRESH": float(os.environ.get("SPECFIRST_JWKS_MIN_REFRESH") or 10),
        "SPECFIRST_API_KEYS": env_list("SPECFIRST_API_KEYS", DEV_API_KEY),
        "SPECFIRST_IDENTITY_PUBLIC_KEY": os.environ.get("SPECFIRST_IDENTITY_PUBLIC_KEY")
        or DEV_IDENTITY_PUBLIC_KEY,
        "SPECFIRST_TRUST_IDENTITY_HEADERS": env_flag("SPECFIRST_TRUST_IDENTITY_HEADERS", False),
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
            "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        },
    }
    if production.production_enabled():
        production.check_production(name, os.environ, DEV_SECRET_KEY)
        settings["SPECFIRST_REQUEST_LOG"] = True
        settings["LOGGING"] = production.json_logging(os.environ.get("LOG_LEVEL", "INFO"))
    return settings
