"""Settings of the customers service: the servicekit defaults (see servicekit.settings)."""

from __future__ import annotations

from pathlib import Path

from customers.oauth.config import settings_from_env
from servicekit.settings import service_settings

BASE_DIR = Path(__file__).resolve().parent.parent

globals().update(service_settings("customers", BASE_DIR))
globals().update(settings_from_env())  # the login: token lifetimes, throttling
# The login's own tokens verify with its keys, read from its database (no HTTP to itself).
SPECFIRST_JWKS_SOURCE = "customers.oauth.keys.jwks"

# scrypt: memory-hard and still quick enough for sign-ups in development.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
