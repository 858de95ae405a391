"""The system's login: which service has the OAuth 2.0 token endpoint and where
its keys are (:mod:`codegen.core.auth.login` finds both by their shape), so that
``specfirst up`` and ``specfirst test`` can point every service at the JWKS and
``specfirst test`` can log in for real.

Example: the reference system -> ``SystemLogin(service="customers",
token_path="/oauth/token", jwks_path="/.well-known/jwks.json")``;
``jwks_env(login, {"customers": "http://127.0.0.1:8002"})`` ->
``{"SPECFIRST_JWKS_URL": "http://127.0.0.1:8002/.well-known/jwks.json"}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from codegen.core.auth.login import jwks_path, token_endpoint
from codegen.core.ir.build import build_api
from codegen.core.spec.loader import load_spec
from codegen.verify.contract.targets import ServiceTarget


@dataclass(frozen=True, slots=True)
class SystemLogin:
    service: str
    token_path: str
    jwks_path: str | None


def system_login(targets: Iterable[ServiceTarget]) -> SystemLogin | None:
    """The first service (by name) whose spec has a token endpoint, or ``None``."""
    for target in sorted(targets, key=lambda t: t.name):
        loaded, _ = load_spec(target.spec.as_posix())
        api = build_api(loaded)[0] if loaded is not None else None
        endpoint = token_endpoint(api) if api is not None else None
        if api is not None and endpoint is not None:
            return SystemLogin(target.name, endpoint.path, jwks_path(api))
    return None


def jwks_env(login: SystemLogin | None, urls: Mapping[str, str]) -> dict[str, str]:
    """``SPECFIRST_JWKS_URL`` for the services, once the login's service has a URL."""
    if login is None or login.jwks_path is None or login.service not in urls:
        return {}
    return {"SPECFIRST_JWKS_URL": urls[login.service].rstrip("/") + login.jwks_path}
