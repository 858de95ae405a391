"""The login's settings: read from the environment into Django settings, then from those.

=========================================  =================================================
``SPECFIRST_ACCESS_TOKEN_TTL``             access-token lifetime, seconds (default 900)
``SPECFIRST_REFRESH_TOKEN_TTL``            refresh-token lifetime, seconds (default 30 days)
``SPECFIRST_LOGIN_WINDOW``                 throttling window, seconds (default 300)
``SPECFIRST_LOGIN_FAILURES_PER_USERNAME``  failed logins per username and window (default 5)
``SPECFIRST_LOGIN_FAILURES_PER_IP``        failed logins per client IP and window (default 50)
``REDIS_URL``                              shared throttling counters (default: in memory)
``SPECFIRST_LOGIN_REDIS_PREFIX``           their key prefix (default ``specfirst:login:``)
``SPECFIRST_TRUSTED_PROXIES``              networks whose ``X-Forwarded-For`` is believed
                                           (default the loopback, where the gateway runs)
=========================================  =================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def settings_from_env() -> dict[str, Any]:
    """The Django settings of the login (``globals().update(settings_from_env())``)."""
    proxies = os.environ.get("SPECFIRST_TRUSTED_PROXIES", "127.0.0.0/8,::1/128")
    return {
        "SPECFIRST_ACCESS_TOKEN_TTL": _int("SPECFIRST_ACCESS_TOKEN_TTL", 900),
        "SPECFIRST_REFRESH_TOKEN_TTL": _int("SPECFIRST_REFRESH_TOKEN_TTL", 30 * 86400),
        "SPECFIRST_LOGIN_WINDOW": _int("SPECFIRST_LOGIN_WINDOW", 300),
        "SPECFIRST_LOGIN_FAILURES_PER_USERNAME": _int("SPECFIRST_LOGIN_FAILURES_PER_USERNAME", 5),
        "SPECFIRST_LOGIN_FAILURES_PER_IP": _int("SPECFIRST_LOGIN_FAILURES_PER_IP", 50),
        "SPECFIRST_LOGIN_REDIS_URL": os.environ.get("REDIS_URL") or None,
        "SPECFIRST_LOGIN_REDIS_PREFIX": os.environ.get(
            "SPECFIRST_LOGIN_REDIS_PREFIX", "specfirst:login:"
        ),
        "SPECFIRST_TRUSTED_PROXIES": [p.strip() for p in proxies.split(",") if p.strip()],
    }


@dataclass(frozen=True, slots=True)
class LoginSettings:
    access_ttl: int
    refresh_ttl: int
    issuer: str
    audience: str


def login_settings() -> LoginSettings:
    return LoginSettings(
        access_ttl=int(settings.SPECFIRST_ACCESS_TOKEN_TTL),
        refresh_ttl=int(settings.SPECFIRST_REFRESH_TOKEN_TTL),
        issuer=str(settings.SPECFIRST_JWT_ISSUER),
        audience=str(settings.SPECFIRST_JWT_AUDIENCE),
    )
