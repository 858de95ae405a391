"""The system's login: which service has the OAuth 2.0 token endpoint and where
its keys are (:mod:`codegen.core.auth.login` finds both by their shape), so that
``specfirst up`` and ``specfirst test`` can point every service at the JWKS and
``specfirst test`` can log in for real: it creates an admin client with the
login service's ``manage.py createadmin ID --secret-env VAR`` (the command
``specfirst up`` tells a new user to run) and takes its token from the running
token endpoint with the client credentials grant (:func:`login_token`).

Example: the reference system -> ``SystemLogin(service="customers",
token_path="/oauth/token", jwks_path="/.well-known/jwks.json")``;
``jwks_env(login, {"customers": "http://127.0.0.1:8002"})`` ->
``{"SPECFIRST_JWKS_URL": "http://127.0.0.1:8002/.well-known/jwks.json"}``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from codegen.core.auth.login import jwks_path, token_endpoint
from codegen.core.errors import UserError
from codegen.core.ir.build import build_api
from codegen.core.spec.loader import load_spec
from codegen.verify.contract.process import manage
from codegen.verify.contract.targets import ServiceTarget

CONTRACT_CLIENT = "specfirst-contract-tests"
SECRET_VARIABLE = "SPECFIRST_CONTRACT_CLIENT_SECRET"
LOGIN_TIMEOUT = 30.0


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


def has_createadmin(target: ServiceTarget) -> bool:
    """Whether ``target`` has the ``createadmin`` management command."""
    commands = target.directory / target.directory.name / "management" / "commands"
    return (commands / "createadmin.py").is_file()


def login_token(
    target: ServiceTarget, env: Mapping[str, str], log_path: Path, base_url: str, token_path: str
) -> str:
    """An access token with the ``admin`` scope from the running login: a new admin
    client (``createadmin``), then the client credentials grant; a user error
    naming the service when either fails."""
    secret = secrets.token_urlsafe(32)
    manage(target, {**env, SECRET_VARIABLE: secret}, log_path,
           "createadmin", CONTRACT_CLIENT, "--secret-env", SECRET_VARIABLE)  # fmt: skip
    url = base_url.rstrip("/") + token_path
    try:
        response = httpx.post(
            url,
            data={"grant_type": "client_credentials"},
            auth=(CONTRACT_CLIENT, secret),
            timeout=LOGIN_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        raise UserError(f"{target.name}: cannot log in at {url}: {exc}") from None
    try:
        answer = response.json() if response.status_code == 200 else None
    except ValueError:
        answer = None
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str):
        raise UserError(
            f"{target.name}: the login at {url} answered {response.status_code}: "
            f"{response.text[:300]}"
        )
    return token
